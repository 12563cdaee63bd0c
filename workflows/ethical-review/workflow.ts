import { ApplicationFailure, patched, proxyActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.js';
import type { AiComplianceResult } from '../../domain/engines/ai-compliance.js';
import type { Deadlines, WithdrawRequest } from '../contracts/common.js';
import { boardVoteUpdate, type BoardVote, type EthicalReviewInput, type EthicalReviewOutcome, type EthicalReviewState, type Finding } from './contract.js';
import { approvalConditions, collectBallots, currentTally, explainTally, recordBallot, validateBallot, type Board } from '../support/board-vote.js';
import { startObligations } from '../support/obligations.js';
import { referToCommittee } from '../support/committee.js';
import { slaDueAt } from '../kernel/escalation.js';
import { requireDuties, requireMayDecide, rolesFor } from '../kernel/duties.js';
import { refuse } from '../kernel/failures.js';
import { baseState, ProcessKernel } from '../kernel/process.js';

const { runEvaluation } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

const FINDINGS: Finding[] = ['satisfactory', 'concerns', 'unsatisfactory'];

/**
 * The AI ethical review board. The compliance engine first classifies the system under the EU AI Act (a
 * prohibited practice stops the process there) and lists its gaps; the board then rules on the policy's
 * review items (a fundamental-rights impact assessment only where Art. 27 binds the deployer) and decides by the
 * policy's quorum and majority. When the policy says so, an approval goes on to the governance committee.
 */
export async function ethicalReview(input: EthicalReviewInput): Promise<EthicalReviewState> {
  const { policy } = input;
  if (!policy.triggers.includes(input.trigger)) {
    refuse('ValidationError', `trigger "${input.trigger}" is not one of ${policy.triggers.join(', ')}`, [{ path: 'trigger', message: `expected one of ${policy.triggers.join(', ')}` }]);
  }
  const voterRoles = rolesFor(input.access, 'votes', ['ethics_board_member', ...policy.composition]);
  const state: EthicalReviewState = {
    ...baseState('ethical_review', input, 'compliance_assessment'),
    riskTier: null,
    trigger: input.trigger,
    reviewItems: [],
    compliance: null,
    members: policy.composition.length,
    ballots: [],
    tally: null,
    conditions: [],
    extensionDays: 0,
    committeeWorkflowId: null,
  };
  const kernel = new ProcessKernel(state, {
    noun: 'ethical review',
    describe,
    systemRisks: (s) => (s.compliance?.gaps ?? []).map((g) => ({ key: g.item, title: `${g.item.replace(/_/g, ' ')} (${g.status.replace(/_/g, ' ')})`, severity: g.severity })),
    recorder: {
      seatedActors: (s) => s.ballots.map((b) => b.actor),
      // While the committee decides, its own item is what waits on its members.
      openRoles: (s) => (s.stage === 'awaiting_committee' ? [] : s.pendingRoles.filter((r) => r !== 'requester')),
    },
  });
  const { rec } = kernel;
  const isOpen = () => kernel.isOpen();
  const board = (): Board => ({ name: 'ethical review board', seats: state.members, rule: policy.voting, ballots: state.ballots });
  let withdrawal: WithdrawRequest | null = null;

  kernel.start({ by: input.requester, details: { trigger: input.trigger, systemDescription: input.systemDescription, evidence: input.evidence, urgent: input.urgent ?? false } });

  setHandler(
    boardVoteUpdate,
    (vote) => {
      const { recorded, previous } = recordBallot(board(), vote, false);
      state.ballots = [...state.ballots.filter((b) => b.actor !== vote.actor.id), { ...recorded, findings: vote.findings }];
      state.tally = currentTally(board(), false);
      const role = vote.actor.roles.find((r) => voterRoles.includes(r))!;
      const details = { ballot: vote.ballot, findings: vote.findings, justification: vote.justification, conditions: vote.conditions, tally: state.tally };
      const event = rec.event(vote.actor, previous ? 'vote_revised' : 'voted', details, role);
      rec.decision(event, { round: 1, role, verdict: vote.ballot, criteria: vote.findings, conditions: vote.conditions, justification: vote.justification });
      return kernel.receipt();
    },
    { validator: validateVote },
  );

  kernel.handleWithdraw({
    may: (actor) => (actor.id === state.requester ? undefined : 'only the requester can withdraw the ethical review'),
    before: (req) => void (withdrawal = req),
    decide: (req) => close('withdrawn', req.reason),
  });

  kernel.handleExtensionDays({ roles: [policy.escalation.escalateToRole], maxTotal: policy.escalation.maxExtensionDays });

  function validateVote(vote: BoardVote): void {
    kernel.requireOpen();
    if (state.stage !== 'board_review') refuse('Conflict', state.stage === 'awaiting_committee' ? 'the board has approved; the review awaits the governance committee' : 'the board votes once the compliance assessment is done');
    if (!vote.actor.roles.some((r) => voterRoles.includes(r))) refuse('Forbidden', `${vote.actor.id} is not a member of the ethical review board`);
    requireMayDecide(input.access, vote.actor);
    requireDuties(input.access, { actor: vote.actor, role: 'ethical_review_board', requester: state.requester }, []);
    validateBallot(board(), vote);
    const findings = vote.findings ?? {};
    const fields = [
      ...state.reviewItems.filter((i) => !(i in findings)).map((i) => ({ path: `findings.${i}`, message: 'a finding is required' })),
      ...Object.keys(findings).filter((i) => !state.reviewItems.includes(i)).map((i) => ({ path: `findings.${i}`, message: 'not a review item of this system' })),
      ...Object.entries(findings).filter(([, f]) => !FINDINGS.includes(f)).map(([i]) => ({ path: `findings.${i}`, message: `expected one of ${FINDINGS.join(', ')}` })),
    ];
    if (fields.length) refuse('ValidationError', 'the ballot must give a finding on every review item that applies', fields);
    const found = Object.values(findings);
    if (vote.ballot === 'approve' && found.includes('unsatisfactory')) {
      refuse('RuleViolation', 'an approval cannot carry an unsatisfactory finding: reject, or abstain', [{ path: 'ballot', message: 'reject or abstain' }]);
    }
    if (vote.ballot === 'approve' && found.includes('concerns') && !(vote.conditions ?? []).some((c) => c.trim())) {
      refuse('RuleViolation', 'an approval with concerns must list the conditions that address them', [{ path: 'conditions', message: 'at least one condition' }]);
    }
  }

  function close(outcome: EthicalReviewOutcome, reason: string): void {
    kernel.close(outcome, reason, { details: { tally: state.tally, conditions: state.conditions } });
  }

  // 1. The compliance engine, as a recorded evaluation of this process.
  let result: AiComplianceResult | null = null;
  try {
    result = (await runEvaluation({
      workflowId: state.workflowId,
      engine: 'ai_compliance',
      subject: input.title,
      policyVersion: input.policyVersion,
      policy: input.compliancePolicy,
      input: input.assessment,
    })) as AiComplianceResult;
  } catch (err) {
    const cause = (err as { cause?: unknown }).cause;
    if (!(cause instanceof ApplicationFailure)) throw err;
    if (isOpen()) close('invalid_assessment', cause.message);
  }
  if (result && isOpen()) {
    const c = result.classification;
    state.riskTier = c.tier;
    state.compliance = {
      tier: c.tier,
      blocked: c.blocked,
      reasons: c.reasons,
      articles: c.articles,
      overallStatus: result.overall.status,
      score: result.overall.score,
      gaps: result.gaps.map((g) => ({ item: g.item, severity: g.severity, status: g.status })),
      remediationPlan: result.remediationPlan,
    };
    rec.event('system', 'compliance_assessed', { tier: c.tier, overall: result.overall.status, score: result.overall.score, gaps: result.gaps.length });
    if (c.blocked) {
      close('prohibited', `prohibited AI practice under the EU AI Act (${c.articles.join(', ')}): ${c.reasons.join('; ')}`);
    } else {
      // An item tied to an EU AI Act obligation (the FRIA, Art. 27) applies only when that obligation binds this
      // system; before the patch every high-risk system got it, and processes recorded then keep that rule.
      const byObligation = patched('review-items-by-obligation');
      const applies = (i: (typeof policy.reviewItems)[number]) =>
        (!i.highRiskOnly || c.tier === 'high_risk') && (!byObligation || !i.obligation || (result.obligations ?? []).some((o) => o.key === i.obligation));
      state.reviewItems = policy.reviewItems.filter(applies).map((i) => i.key);
    }
  }

  // 2. The board's review and vote.
  if (isOpen()) {
    state.stage = 'board_review';
    // Every role that may take a board seat waits (the policy's composition roles as well as ethics_board_member).
    state.pendingRoles = [...voterRoles];
    const clock = { startedAt: Date.now(), extensionDays: () => state.extensionDays, report: (d: Deadlines) => void (state.deadlines = d) };
    state.slaDueAt = slaDueAt(policy.escalation, clock).toISOString();
    rec.event('system', 'board_review_opened', { reviewItems: state.reviewItems, members: state.members });
    rec.notify('info', voterRoles, `"${state.title}" (${state.riskTier?.replace(/_/g, ' ')}) is ready for the ethical review board`);
    const decision = await collectBallots(board, isOpen, policy.escalation, clock, (step) => {
      const voted = state.ballots.length;
      if (step === 'reminder') rec.notify('reminder', voterRoles, `Reminder: "${state.title}" has ${voted} of ${state.members} board ballots`);
      else rec.notify('escalation', [policy.escalation.escalateToRole], `Escalation: the ethical review of "${state.title}" is undecided with ${voted} of ${state.members} ballots`);
      rec.event('system', step === 'reminder' ? 'reminder_sent' : 'escalated', { ballots: voted, members: state.members });
    });
    if (decision) {
      const { tally: t, final } = decision;
      state.tally = t;
      const reason = explainTally(t, final);
      if (t.result === 'no_quorum') {
        rec.notify('sla_breach', [policy.escalation.escalateToRole, state.requester], `SLA breached: the ethical review board did not reach a quorum on "${state.title}"; referred to the ${policy.escalation.escalateToRole}`);
        close('sla_breached', reason);
      } else if (t.result === 'approved') {
        state.conditions = approvalConditions(board());
        const approved = state.conditions.length ? 'approved_with_conditions' : 'approved';
        if (policy.requiresCommitteeApproval && input.committeePolicy) await finalApproval(approved, reason);
        else close(approved, reason);
      } else if (t.result !== 'undecided') {
        close('rejected', reason);
      }
    }
  }

  async function finalApproval(approved: 'approved' | 'approved_with_conditions', boardReason: string): Promise<void> {
    const final = await referToCommittee(rec, {
      proposed: approved,
      summary: `${input.systemDescription}\nEU AI Act tier: ${state.riskTier}; board: ${boardReason}`,
      requester: input.requester,
      urgent: input.urgent ?? false,
      policy: input.committeePolicy!,
      access: input.access?.children.committee_approval,
      details: { boardOutcome: approved, reason: boardReason },
      withdrawal: () => withdrawal,
    });
    if (!final) return;
    state.conditions.push(...final.conditions);
    close(final.outcome, final.reason);
  }

  // Conditions become obligations (reviews started before obligations carry no obligation policy, hence the patch).
  if (state.outcome === 'approved_with_conditions' && input.obligations && patched('obligations-from-conditions')) {
    state.obligations = await startObligations(state, rec, state.conditions, input.obligations, input.requester);
  }
  return kernel.finish();
}

function describe(s: EthicalReviewState): string {
  if (s.outcome) return `**${s.title}** — ${s.outcome.replace(/_/g, ' ')}`;
  if (s.stage === 'compliance_assessment') return `**${s.title}** — running the AI compliance assessment`;
  if (s.stage === 'awaiting_committee') return `**${s.title}** — approved by the board, awaiting the governance committee (${s.committeeWorkflowId ?? 'starting'})`;
  return `**${s.title}** — ${s.riskTier?.replace(/_/g, ' ')}; board: ${s.ballots.length} of ${s.members} ballots${s.slaDueAt ? `, due ${s.slaDueAt.slice(0, 10)}` : ''}`;
}
