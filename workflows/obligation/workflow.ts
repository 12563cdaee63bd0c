import { condition, setHandler } from '@temporalio/workflow';
import { Deadline } from '../kernel/deadline.js';
import { actsAs } from '../kernel/duties.js';
import { refuse } from '../kernel/failures.js';
import { baseState, ProcessKernel } from '../kernel/process.js';
import { submitEvidenceUpdate, verifyObligationUpdate, type ObligationInput, type ObligationState, type SubmitEvidenceRequest, type VerifyRequest } from './contract.js';

const DAY_MS = 86_400_000;

/**
 * An obligation: a condition an approval was given under, tracked to closure. Its owner submits evidence; a holder of
 * the verifying role (never the owner) accepts it, which fulfils the obligation, or sends it back with a reason. The
 * owner is reminded before the due date; an overdue obligation is escalated and, where the policy says so, suspends
 * the approval it belongs to until it is fulfilled.
 */
export async function obligation(input: ObligationInput): Promise<ObligationState> {
  const state: ObligationState = {
    ...baseState('obligation', input, 'open', []),
    condition: input.condition,
    parent: input.parent,
    owner: input.owner,
    dueAt: input.dueAt,
    verifierRole: input.verifierRole,
    overdue: false,
    approvalSuspended: false,
    submissions: [],
  };
  state.slaDueAt = state.dueAt;
  const kernel = new ProcessKernel(state, {
    noun: 'obligation',
    describe: (s) => `**${s.title}** — ${s.stage.replace(/_/g, ' ')}, due ${s.dueAt.slice(0, 10)}${s.overdue ? ' (overdue)' : ''}; for ${s.parent.workflowId}`,
    recorder: { pendingActors: (s) => (s.stage === 'open' ? [s.owner] : []) },
  });
  const { rec } = kernel;
  const isOpen = () => kernel.isOpen();
  const { policy } = input;
  const waitOn = () => {
    state.pendingRoles = state.stage === 'evidence_submitted' ? [state.verifierRole] : [];
  };

  kernel.start({ by: input.requester, details: { condition: state.condition, parent: state.parent, owner: state.owner, dueAt: state.dueAt, verifierRole: state.verifierRole } });

  setHandler(
    submitEvidenceUpdate,
    (req) => {
      state.submissions.push({ evidence: req.evidence, note: req.note?.trim() || null, by: req.actor.id, at: new Date().toISOString(), verdict: null, verifiedBy: null, verdictNote: null });
      state.stage = 'evidence_submitted';
      waitOn();
      rec.event(req.actor, 'obligation_evidence_submitted', { evidence: req.evidence, note: req.note ?? null });
      rec.notify('info', [state.verifierRole], `"${state.title}": evidence for the condition of ${state.parent.title} waits for your verification`);
      return kernel.receipt();
    },
    {
      validator: (req: SubmitEvidenceRequest) => {
        kernel.requireOpen();
        if (state.stage !== 'open') refuse('Conflict', 'evidence is already waiting for verification');
        if (!actsAs(req.actor, state.owner)) refuse('Forbidden', `only the owner (${state.owner}) submits the evidence`);
        if (!req.evidence?.some((e) => e.trim())) refuse('RuleViolation', 'the obligation needs evidence', [{ path: 'evidence', message: 'at least one digest or link' }]);
      },
    },
  );

  setHandler(
    verifyObligationUpdate,
    (req) => {
      const last = state.submissions.at(-1)!;
      Object.assign(last, { verdict: req.accept ? 'accepted' : 'rejected', verifiedBy: req.actor.id, verdictNote: req.note?.trim() || null });
      rec.event(req.actor, 'obligation_verified', { accepted: req.accept, note: req.note ?? null }, state.verifierRole);
      if (req.accept) {
        if (state.approvalSuspended) rec.event('system', 'approval_reinstated', { parent: state.parent.workflowId });
        state.approvalSuspended = false;
        kernel.close('fulfilled', `evidence accepted by ${req.actor.id}`, { recipients: [state.owner] });
      } else {
        state.stage = 'open';
        waitOn();
        rec.notify('info', [state.owner], `"${state.title}": the evidence was not accepted: ${req.note}`);
      }
      return kernel.receipt();
    },
    {
      validator: (req: VerifyRequest) => {
        kernel.requireOpen();
        if (state.stage !== 'evidence_submitted') refuse('Conflict', 'no evidence waits for verification');
        if (!req.actor.roles.includes(state.verifierRole) && !req.actor.roles.includes('admin')) refuse('Forbidden', `verifying this obligation needs the role ${state.verifierRole}`);
        if (actsAs(req.actor, state.owner)) refuse('Forbidden', 'segregation of duties (selfApproval): the owner never verifies their own evidence');
        if (!req.accept && !req.note?.trim()) refuse('RuleViolation', 'say why the evidence is not accepted', [{ path: 'note', message: 'required' }]);
      },
    },
  );

  kernel.handleWithdraw({
    may: (actor) => (actor.roles.includes(state.verifierRole) || actor.roles.includes('admin') ? undefined : `waiving an obligation needs the role ${state.verifierRole}`),
    role: state.verifierRole,
  });

  const due = Date.parse(state.dueAt);
  const fulfilled = () => !isOpen();
  const submitted = () => fulfilled() || state.stage !== 'open';
  if ((await new Deadline(due - policy.reminderBeforeDays * DAY_MS).wait(submitted)) === 'due') {
    rec.event('system', 'reminder_sent', { dueAt: state.dueAt });
    rec.notify('reminder', [state.owner], `"${state.title}" is due on ${state.dueAt.slice(0, 10)}: submit the evidence of the condition of ${state.parent.title}`);
  }
  if ((await new Deadline(due).wait(fulfilled)) === 'due') {
    state.overdue = true;
    state.approvalSuspended = policy.suspendApprovalWhenOverdue;
    rec.event('system', 'obligation_overdue', { dueAt: state.dueAt, approvalSuspended: state.approvalSuspended, parent: state.parent.workflowId });
    await kernel.tellAiSystem('overdue');
    if (state.approvalSuspended) await kernel.tellAiSystem('suspension_requested', { reason: `obligation "${state.title}" is overdue: the approval of ${state.parent.title} is suspended until it is fulfilled` });
    rec.notify('escalation', [policy.escalateToRole, state.owner], `"${state.title}" is overdue (due ${state.dueAt.slice(0, 10)})${state.approvalSuspended ? `: the approval of ${state.parent.title} is suspended until it is fulfilled` : ''}`);
  }
  await condition(fulfilled);
  return kernel.finish();
}
