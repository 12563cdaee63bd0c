import { ApplicationFailure, condition, ParentClosePolicy, patched, proxyActivities, setHandler, startChild } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.js';
import { DAY_MS } from '../../domain/engines/calendar.js';
import {
  buildRoadmapPackage,
  CHILDREN_FROM_PHASE_INDEX,
  describeEngagement,
  pendingRolesOf,
  phaseGate,
  deliverableReviewer,
  projectTimeline,
  type DeliverableState,
  type PhaseState,
  type RoadmapChild,
} from '../../domain/roadmap/engagement.js';
import type { ArchitectureReviewInput } from '../architecture-review/contract.js';
import { workflowIdFor } from '../contracts/common.js';
import { EVALUATIONS, type EvaluationInput } from '../evaluation/contract.js';
import {
  launchChildUpdate,
  reviewDeliverableUpdate,
  ROADMAP_CHILD_KINDS,
  closePhaseEarlyUpdate,
  signOffPhaseUpdate,
  type ClosePhaseEarlyRequest,
  submitDeliverableUpdate,
  type ArchitectureReviewChildInput,
  type LaunchChildRequest,
  type ReviewDeliverableRequest,
  type RoadmapEngagementInput,
  type RoadmapEngagementState,
  type SignOffRequest,
  type SubmitDeliverableRequest,
} from './contract.js';
import { actsAs } from '../kernel/duties.js';
import { waitWithEscalation } from '../kernel/escalation.js';
import { describeStep } from '../../domain/engines/escalation-deadlines.js';
import { checkExtension } from '../kernel/deadline-rules.js';
import { refuse } from '../kernel/failures.js';
import { baseState, ProcessKernel } from '../kernel/process.js';
import { storeClosingReport } from '../support/closing-report.js';
import { startRetrospective } from '../support/retrospective.js';

const { storeRoadmapPackage } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  // The package must reach the record: retry until the database is back.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

const SHA256_HEX = /^[0-9a-f]{64}$/;

const CHILD_WORKFLOW_TYPES = {
  architecture_review: 'architectureReview',
  technology_proposal_evaluation: EVALUATIONS.technology_proposal.workflowType,
  strategic_initiative_evaluation: EVALUATIONS.strategic_initiative.workflowType,
} as const;

/**
 * Roadmap engagement: the policy's phases run in order. Each phase collects its deliverables (submitted, then
 * accepted or sent back by the engagement lead) and ends at a sign-off gate. It closes once the gate is passed
 * and its minimum duration is over; reaching its maximum escalates to the sponsor and keeps escalating on the
 * policy's timers until the gate is passed. From the strategy phase on, child processes can be launched and
 * their outcomes are tracked. The finished engagement stores its roadmap package.
 */
export async function roadmapEngagement(input: RoadmapEngagementInput): Promise<RoadmapEngagementState> {
  const { policy } = input;
  if (policy.phases.length === 0) refuse('PolicyError', 'the roadmap policy defines no phases');
  const startedAt = new Date().toISOString();
  const state: RoadmapEngagementState = {
    ...baseState('roadmap_engagement', input, policy.phases[0]!.key),
    sponsor: input.sponsor,
    engagementLead: input.engagementLead,
    objectives: input.objectives,
    phaseIndex: 0,
    phases: policy.phases.map(
      (p): PhaseState => ({
        key: p.key,
        activities: p.activities,
        minDays: p.duration.minDays,
        maxDays: p.duration.maxDays,
        signOffRoles: p.signOffRoles,
        deliverables: p.deliverables.map((key): DeliverableState => ({ key, status: 'missing', submissions: [] })),
        status: 'pending',
        startedAt: null,
        earliestCloseAt: null,
        dueAt: null,
        closedAt: null,
        extensionDays: 0,
        signOffRound: 1,
        signOffs: [],
        signOffHistory: [],
        overdue: false,
        overruns: [],
      }),
    ),
    children: [],
    startedAt,
    closedAt: null,
    packageId: null,
    retrospectiveWorkflowId: null,
  };
  // The people the engagement names take their roles' actions; anyone else holding the role may not.
  const named: Record<string, string> = { executive_sponsor: input.sponsor, engagement_lead: input.engagementLead };
  const kernel = new ProcessKernel(state, {
    noun: 'engagement',
    describe: (s) => describeEngagement(s),
    recorder: {
      // The sign-off and review roles are held by the people the engagement names.
      pendingActors: (s) => [
        ...s.pendingRoles.flatMap((r) => (r === 'engagement_lead' ? [s.engagementLead] : r === 'executive_sponsor' ? [s.sponsor] : [])),
        ...(s.outcome === null ? reviewersOf(s.phases[s.phaseIndex]!) : []),
        // Signed off and waiting out its minimum: the sponsor may close it early.
        ...(s.outcome === null && mayCloseEarly(s.phases[s.phaseIndex]!) ? [s.sponsor] : []),
      ],
    },
  });
  const { rec } = kernel;
  const people = { lead: input.engagementLead, sponsor: input.sponsor };
  const selfApproval = input.access?.duties.selfApproval ?? false;
  const reviewerOf = (d: DeliverableState) => deliverableReviewer(d.submissions.at(-1)!, people, selfApproval);
  function mayCloseEarly(phase: PhaseState): boolean {
    return (policy.earlyCloseBySponsor ?? false) && phase.status === 'in_progress' && phaseGate(phase).passed && Date.now() < Date.parse(phase.earliestCloseAt!);
  }
  function reviewersOf(phase: PhaseState): string[] {
    return phase.deliverables.filter((d) => d.status === 'submitted').map(reviewerOf);
  }
  const isOpen = () => kernel.isOpen();
  const current = () => state.phases[state.phaseIndex]!;
  const refresh = () => {
    const phase = current();
    state.pendingRoles = isOpen() && phase.status === 'in_progress' ? pendingRolesOf(phase) : [];
    state.slaDueAt = isOpen() ? phase.dueAt : null;
    state.timeline = projectTimeline(state.phases, Date.now());
    rec.changed();
  };

  function requireOpenPhase(): PhaseState {
    kernel.requireOpen();
    const phase = current();
    if (phase.status !== 'in_progress') refuse('Conflict', `${phase.key} is not in progress`);
    return phase;
  }

  function deliverableOf(phase: PhaseState, key: string): DeliverableState {
    const d = phase.deliverables.find((x) => x.key === key);
    if (!d) {
      refuse('ValidationError', `${key} is not a deliverable of ${phase.key}`, [{ path: 'deliverable', message: `expected one of ${phase.deliverables.map((x) => x.key).join(', ')}` }]);
    }
    return d;
  }

  // The first phase is under way before any handler is registered: an Update that arrives with the start
  // (delivered as its handler is set) already finds the phase in progress.
  kernel.start({ by: input.requester, details: { sponsor: input.sponsor, engagementLead: input.engagementLead, objectives: input.objectives, phases: policy.phases.map((p) => ({ key: p.key, duration: p.duration })) } });
  beginPhase(state.phases[0]!);

  setHandler(
    submitDeliverableUpdate,
    (req) => {
      const phase = current();
      const d = phase.deliverables.find((x) => x.key === req.deliverable)!;
      const version = d.submissions.length + 1;
      d.submissions.push({
        version,
        title: req.title.trim(),
        documentRef: req.documentRef.trim(),
        contentHash: req.contentHash,
        author: req.author.trim(),
        submittedBy: req.actor.id,
        submittedAt: new Date().toISOString(),
        decision: null,
        note: null,
        decidedBy: null,
        decidedAt: null,
      });
      d.status = 'submitted';
      rec.event(req.actor, version > 1 ? 'deliverable_resubmitted' : 'deliverable_submitted', {
        phase: phase.key,
        deliverable: d.key,
        version,
        title: req.title,
        documentRef: req.documentRef,
        contentHash: req.contentHash,
        author: req.author,
      });
      if (req.actor.id !== state.engagementLead) rec.notify('info', [state.engagementLead], `"${state.title}": ${d.key} (v${version}) is waiting for your review`);
      refresh();
      return kernel.receipt();
    },
    {
      validator: (req: SubmitDeliverableRequest) => {
        const phase = requireOpenPhase();
        const may = req.actor.id === state.engagementLead || req.actor.id === state.requester || req.actor.roles.includes('engagement_lead');
        if (!may) refuse('Forbidden', 'only the engagement lead, the requester or an engagement_lead may submit deliverables');
        const d = deliverableOf(phase, req.deliverable);
        if (d.status === 'accepted') refuse('Conflict', `${d.key} is already accepted`);
        if (d.status === 'submitted') refuse('Conflict', `${d.key} is waiting for the engagement lead's review`);
        const fields = [
          ...(['title', 'documentRef', 'author'] as const).filter((f) => !req[f]?.trim()).map((f) => ({ path: f, message: 'required' })),
          ...(SHA256_HEX.test(req.contentHash ?? '') ? [] : [{ path: 'contentHash', message: 'expected a sha256 digest, 64 lowercase hex digits' }]),
        ];
        if (fields.length) refuse('ValidationError', 'a deliverable needs a title, a document reference, its content hash and its author', fields);
      },
    },
  );

  setHandler(
    reviewDeliverableUpdate,
    (req) => {
      const phase = current();
      const d = phase.deliverables.find((x) => x.key === req.deliverable)!;
      const sub = d.submissions.at(-1)!;
      sub.decision = req.decision;
      sub.note = req.note?.trim() || null;
      sub.decidedBy = req.actor.id;
      sub.decidedAt = new Date().toISOString();
      d.status = req.decision === 'accept' ? 'accepted' : 'sent_back';
      const role = sub.decidedBy === state.engagementLead ? 'engagement_lead' : 'executive_sponsor';
      const event = rec.event(req.actor, req.decision === 'accept' ? 'deliverable_accepted' : 'deliverable_sent_back', { phase: phase.key, deliverable: d.key, version: sub.version, note: sub.note }, role);
      rec.decision(event, { round: sub.version, role, verdict: req.decision, criteria: { phase: phase.key, deliverable: d.key, contentHash: sub.contentHash }, justification: sub.note ?? undefined });
      if (req.decision === 'send_back') rec.notify('info', [sub.submittedBy], `"${state.title}": ${d.key} was sent back — ${sub.note}`);
      refresh();
      return kernel.receipt();
    },
    {
      validator: (req: ReviewDeliverableRequest) => {
        const phase = requireOpenPhase();
        const d = deliverableOf(phase, req.deliverable);
        if (d.status !== 'submitted') {
          if (!actsAs(req.actor, state.engagementLead)) refuse('Forbidden', `only the engagement lead (${state.engagementLead}) reviews deliverables`);
          refuse('Conflict', `${d.key} has no submission waiting for review (${d.status})`);
        }
        const reviewer = reviewerOf(d);
        if (!actsAs(req.actor, reviewer)) {
          refuse('Forbidden', reviewer === state.engagementLead
            ? `only the engagement lead (${state.engagementLead}) reviews deliverables`
            : `segregation of duties (selfApproval): ${state.engagementLead} submitted or wrote ${d.key} and may not rule on it; the sponsor (${state.sponsor}) reviews it`);
        }
        if (req.decision !== 'accept' && req.decision !== 'send_back') refuse('ValidationError', 'decision must be accept or send_back', [{ path: 'decision', message: 'expected accept or send_back' }]);
        if (req.decision === 'send_back' && !req.note?.trim()) refuse('RuleViolation', 'sending a deliverable back must say what to change', [{ path: 'note', message: 'required' }]);
      },
    },
  );

  setHandler(
    closePhaseEarlyUpdate,
    (req) => {
      const phase = current();
      phase.earlyClose = { by: req.actor.id, justification: req.justification.trim(), at: new Date().toISOString() };
      rec.event(req.actor, 'phase_closed_early', { phase: phase.key, justification: phase.earlyClose.justification, earliestCloseAt: phase.earliestCloseAt }, 'executive_sponsor');
      refresh();
      return kernel.receipt();
    },
    {
      validator: (req: ClosePhaseEarlyRequest) => {
        const phase = requireOpenPhase();
        if (!(policy.earlyCloseBySponsor ?? false)) refuse('RuleViolation', 'the policy does not let a phase close before its minimum duration (roadmap.yaml: earlyCloseBySponsor)');
        if (!actsAs(req.actor, state.sponsor)) refuse('Forbidden', `only the sponsor (${state.sponsor}) can close a phase early`);
        if (!phaseGate(phase).passed) refuse('RuleViolation', `${phase.key} can close early only once every deliverable is accepted and it is signed off`);
        if (phase.earlyClose) refuse('Conflict', `${phase.key} is already closing`);
        if (!req.justification?.trim()) refuse('RuleViolation', 'an early close must be justified', [{ path: 'justification', message: 'required' }]);
      },
    },
  );

  setHandler(
    signOffPhaseUpdate,
    (req) => {
      const phase = current();
      const signOff = {
        role: req.role,
        actor: req.actor.id,
        actorKind: req.actor.kind,
        decision: req.decision,
        justification: req.justification?.trim() || null,
        round: phase.signOffRound,
        at: new Date().toISOString(),
      };
      phase.signOffs.push(signOff);
      const event = rec.event(req.actor, req.decision === 'approve' ? 'phase_signed_off' : 'phase_sign_off_rejected', { phase: phase.key, round: signOff.round, justification: signOff.justification, reopen: req.reopen ?? [] }, req.role);
      rec.decision(event, { round: signOff.round, role: req.role, verdict: req.decision, criteria: { phase: phase.key }, justification: signOff.justification ?? undefined });
      if (req.decision === 'reject') {
        // A rejection sends the phase back to work: this round's sign-offs no longer count.
        phase.signOffHistory.push(...phase.signOffs);
        phase.signOffs = [];
        phase.signOffRound += 1;
        // Reopened deliverables need a new version; the reason is the sign-off's justification.
        for (const key of req.reopen ?? []) phase.deliverables.find((x) => x.key === key)!.status = 'sent_back';
        rec.notify('info', [state.engagementLead], `"${state.title}": ${req.role} rejected the ${phase.key} sign-off — ${signOff.justification}`);
      }
      refresh();
      return kernel.receipt();
    },
    {
      validator: (req: SignOffRequest) => {
        const phase = requireOpenPhase();
        if (!phase.signOffRoles.includes(req.role)) refuse('ValidationError', `${req.role} is not a sign-off role of ${phase.key}`, [{ path: 'role', message: `expected one of ${phase.signOffRoles.join(', ')}` }]);
        if (!req.actor.roles.includes(req.role)) refuse('Forbidden', `${req.actor.id} does not hold the ${req.role} role`);
        const person = named[req.role];
        if (person && !actsAs(req.actor, person)) refuse('Forbidden', `the ${req.role} of this engagement is ${person}`);
        const gate = phaseGate(phase);
        if (!gate.allAccepted) refuse('RuleViolation', `${phase.key} cannot be signed off before every deliverable is accepted (open: ${gate.openDeliverables.join(', ')})`);
        if (phase.signOffs.some((s) => s.role === req.role)) refuse('Conflict', `the ${req.role} has already signed off ${phase.key} in round ${phase.signOffRound}`);
        if (req.decision !== 'approve' && req.decision !== 'reject') refuse('ValidationError', 'decision must be approve or reject', [{ path: 'decision', message: 'expected approve or reject' }]);
        if (req.decision === 'reject' && !req.justification?.trim()) refuse('RuleViolation', 'a rejected sign-off must be justified', [{ path: 'justification', message: 'required' }]);
        const unknown = (req.reopen ?? []).filter((k) => !phase.deliverables.some((d) => d.key === k));
        if (unknown.length) refuse('ValidationError', `not deliverables of ${phase.key}: ${unknown.join(', ')}`, unknown.map((k) => ({ path: 'reopen', message: `${k} is unknown` })));
        if (req.decision === 'approve' && req.reopen?.length) refuse('ValidationError', 'only a rejection reopens deliverables', [{ path: 'reopen', message: 'only with decision reject' }]);
      },
    },
  );

  setHandler(
    launchChildUpdate,
    async (req) => {
      const phase = current();
      const workflowId = workflowIdFor(req.kind, req.businessKey);
      const child: RoadmapChild = {
        kind: req.kind,
        workflowId,
        businessKey: req.businessKey,
        title: req.title,
        phase: phase.key,
        launchedBy: req.actor.id,
        launchedAt: new Date().toISOString(),
        status: 'running',
        outcome: null,
        finishedAt: null,
        failure: null,
      };
      const args = [childInput(req)];
      let handle;
      try {
        handle = await startChild(CHILD_WORKFLOW_TYPES[req.kind], {
          workflowId,
          args,
          // Children are processes of their own: they outlive the engagement and keep their business key forever.
          parentClosePolicy: ParentClosePolicy.ABANDON,
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
        });
      } catch (err) {
        throw ApplicationFailure.create({ type: 'Conflict', message: `could not start ${workflowId}: ${(err as Error).message}`, nonRetryable: true });
      }
      state.children.push(child);
      rec.event(req.actor, 'child_launched', { phase: phase.key, kind: req.kind, workflowId, businessKey: req.businessKey, title: req.title });
      refresh();
      // The outcome is recorded whenever the child finishes; the phase gate does not wait for it.
      void handle.result().then(
        (result) => {
          child.status = 'completed';
          child.outcome = (result as { outcome?: string | null }).outcome ?? null;
          child.finishedAt = new Date().toISOString();
          rec.event('system', 'child_completed', { workflowId, kind: req.kind, outcome: child.outcome });
          refresh();
        },
        (err: unknown) => {
          const cause = (err as { cause?: unknown }).cause;
          child.status = 'failed';
          child.outcome = 'failed';
          child.failure = cause instanceof Error ? cause.message : String(err);
          child.finishedAt = new Date().toISOString();
          rec.event('system', 'child_failed', { workflowId, kind: req.kind, reason: child.failure });
          refresh();
        },
      );
      return kernel.receipt();
    },
    {
      validator: (req: LaunchChildRequest) => {
        const phase = requireOpenPhase();
        if (state.phaseIndex < CHILDREN_FROM_PHASE_INDEX) refuse('Conflict', `child processes can be launched from ${state.phases[CHILDREN_FROM_PHASE_INDEX]?.key ?? 'the second phase'} on, not in ${phase.key}`);
        const may = req.actor.id === state.engagementLead || req.actor.id === state.requester || req.actor.roles.includes('engagement_lead');
        if (!may) refuse('Forbidden', 'only the engagement lead or the requester may launch child processes');
        if (!(ROADMAP_CHILD_KINDS as readonly string[]).includes(req.kind)) refuse('ValidationError', `kind must be one of ${ROADMAP_CHILD_KINDS.join(', ')}`, [{ path: 'kind', message: `expected one of ${ROADMAP_CHILD_KINDS.join(', ')}` }]);
        if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(req.businessKey ?? '')) refuse('ValidationError', 'businessKey is not a valid business key', [{ path: 'businessKey', message: 'invalid' }]);
        if (!req.title?.trim()) refuse('ValidationError', 'a child process needs a title', [{ path: 'title', message: 'required' }]);
        const workflowId = workflowIdFor(req.kind, req.businessKey);
        if (state.children.some((c) => c.workflowId === workflowId)) refuse('Conflict', `${workflowId} was already launched by this engagement`);
        if (req.kind === 'architecture_review') {
          const a = (req.input ?? {}) as Partial<ArchitectureReviewChildInput>;
          const { triggers } = input.childPolicies.architectureReview;
          if (!a.trigger || !triggers.includes(a.trigger)) refuse('ValidationError', `trigger must be one of ${triggers.join(', ')}`, [{ path: 'input.trigger', message: `expected one of ${triggers.join(', ')}` }]);
          if (!a.systemDescription?.trim()) refuse('ValidationError', 'an architecture review needs a system description', [{ path: 'input.systemDescription', message: 'required' }]);
        } else if (req.input === null || typeof req.input !== 'object') {
          refuse('ValidationError', 'an evaluation needs the engine input', [{ path: 'input', message: 'expected an object' }]);
        }
      },
    },
  );

  function childInput(req: LaunchChildRequest): ArchitectureReviewInput | EvaluationInput {
    const common = { businessKey: req.businessKey, title: req.title, requester: req.actor, policyVersion: state.policyVersion };
    if (req.kind === 'architecture_review') {
      const a = req.input as ArchitectureReviewChildInput;
      return {
        ...common,
        trigger: a.trigger,
        systemDescription: a.systemDescription,
        evidence: a.evidence ?? [],
        selfAssessment: a.selfAssessment ?? {},
        assignees: a.assignees,
        urgent: a.urgent ?? false,
        policy: input.childPolicies.architectureReview,
        committeePolicy: input.childPolicies.committee,
      };
    }
    const policySlice = req.kind === 'technology_proposal_evaluation' ? input.childPolicies.technologyProposal : input.childPolicies.strategicInitiative;
    return { ...common, policy: policySlice, input: req.input };
  }

  let withdrawnBecause: string | null = null;
  kernel.handleWithdraw({
    may: (actor) => (actor.id === state.requester || actor.id === state.sponsor || actor.roles.includes('admin') ? undefined : 'only the requester, the sponsor or an admin can withdraw the engagement'),
    role: null,
    details: () => ({ phase: current().key }),
    before: (req) => {
      state.outcome = 'withdrawn';
      withdrawnBecause = req.reason;
    },
    // The engagement closes at its end, below, once its record is complete.
    decide: () => refresh(),
  });

  kernel.handleExtensions({
    may: (actor) => (actor.id === state.engagementLead || actor.id === state.sponsor || actor.roles.includes('admin') ? undefined : 'only the engagement lead, the sponsor or an admin can extend a phase'),
    check: (req) => {
      const phase = requireOpenPhase();
      if (phase.maxDays === null) refuse('Conflict', `${phase.key} has no maximum duration to extend`);
      checkExtension(req, phase.extensionDays, policy.escalation.maxExtensionDays, 'for a phase');
    },
    apply: (req) => {
      const phase = current();
      phase.extensionDays += req.days;
      phase.dueAt = dueAtOf(phase);
      return { phase: phase.key, totalExtensionDays: phase.extensionDays, dueAt: phase.dueAt };
    },
    then: refresh,
  });

  function dueAtOf(phase: PhaseState): string | null {
    if (phase.maxDays === null || !phase.startedAt) return null;
    return new Date(Date.parse(phase.startedAt) + (phase.maxDays + phase.extensionDays) * DAY_MS).toISOString();
  }

  const escalationRecipients = [policy.escalation.escalateToRole, input.sponsor];

  function beginPhase(phase: PhaseState): void {
    const start = Date.now();
    phase.status = 'in_progress';
    phase.startedAt = new Date(start).toISOString();
    phase.earliestCloseAt = new Date(start + phase.minDays * DAY_MS).toISOString();
    phase.dueAt = dueAtOf(phase);
    state.stage = phase.key;
    rec.event('system', 'phase_started', { phase: phase.key, activities: phase.activities, deliverables: phase.deliverables.map((d) => d.key), earliestCloseAt: phase.earliestCloseAt, dueAt: phase.dueAt });
    refresh();
  }

  async function runPhase(phase: PhaseState): Promise<void> {
    if (phase.status === 'pending') beginPhase(phase);
    const minAt = Date.parse(phase.startedAt!) + phase.minDays * DAY_MS;
    const passed = () => phaseGate(phase).passed;
    const dueMs = () => (phase.dueAt ? Date.parse(phase.dueAt) : Number.POSITIVE_INFINITY);

    while (isOpen()) {
      const now = Date.now();
      if (passed()) {
        if (now >= minAt) return await closePhase(phase);
        if (phase.earlyClose) return await closePhase(phase);
        // Done early: the phase still runs its minimum duration, unless the sponsor closes it first.
        await condition(() => !isOpen() || phase.earlyClose !== undefined, minAt - now);
        continue;
      }
      if (now < dueMs()) {
        if (phase.overdue) {
          // An extension moved the due date past now: the phase is back within its time.
          phase.overdue = false;
          refresh();
        }
        const extension = phase.extensionDays;
        const remaining = dueMs() - now;
        await condition(() => !isOpen() || passed() || phase.extensionDays !== extension, Number.isFinite(remaining) ? remaining : undefined);
        continue;
      }
      if (!phase.overdue) {
        phase.overdue = true;
        phase.overruns.push(new Date(now).toISOString());
        const gate = phaseGate(phase);
        rec.event('system', 'phase_overrun', { phase: phase.key, dueAt: phase.dueAt, maxDays: phase.maxDays, extensionDays: phase.extensionDays, accepted: gate.accepted, total: gate.total, pendingSignOffRoles: gate.pendingSignOffRoles });
        rec.notify('escalation', escalationRecipients, `Overrun: ${phase.key} of "${state.title}" reached its maximum of ${phase.maxDays! + phase.extensionDays} days without passing its gate (${gate.accepted}/${gate.total} deliverables accepted)`);
        refresh();
      }
      // Overdue: keep waiting for the gate, reminding and escalating on the policy's timers; never pass silently.
      const cycleStart = Date.now();
      const waited = await waitWithEscalation(
        () => !isOpen() || passed() || dueMs() > Date.now(),
        policy.escalation,
        { startedAt: cycleStart, extensionDays: () => 0 },
        (step) => {
          const waitingOn = pendingRolesOf(phase);
          if (step === 'reminder') rec.notify('reminder', waitingOn.length ? waitingOn : [state.engagementLead], `Reminder: ${phase.key} of "${state.title}" is overdue and waiting on ${waitingOn.join(', ') || 'the engagement lead'}`);
          else rec.notify('escalation', escalationRecipients, `Escalation: ${phase.key} of "${state.title}" is still overdue, waiting on ${waitingOn.join(', ') || 'nobody'}`);
          rec.event('system', step === 'reminder' ? 'overrun_reminder_sent' : 'overrun_escalated', { phase: phase.key, waitingOn });
        },
      );
      if (waited === 'sla_breach') {
        rec.notify('sla_breach', escalationRecipients, `${phase.key} of "${state.title}" has been overdue for ${describeStep(policy.escalation, 'sla_breach')}+ more`);
        rec.event('system', 'overrun_unresolved', { phase: phase.key, overdueSince: phase.overruns.at(-1) });
      }
    }
  }

  async function closePhase(phase: PhaseState): Promise<void> {
    phase.status = 'closed';
    phase.closedAt = new Date().toISOString();
    const days = (Date.parse(phase.closedAt) - Date.parse(phase.startedAt!)) / DAY_MS;
    rec.event('system', 'phase_closed', { phase: phase.key, days, overran: phase.overruns.length > 0, signOffs: phase.signOffs.map((s) => ({ role: s.role, actor: s.actor })), ...(phase.earlyClose ? { earlyClose: phase.earlyClose } : {}) });
    rec.notify('info', [state.sponsor, state.engagementLead], `"${state.title}": ${phase.key} closed after ${Math.round(days * 10) / 10} days`);
    refresh();
    // Organisational learning after each phase; the last one is covered by the engagement's retrospective.
    if (state.phaseIndex < state.phases.length - 1 && patched('roadmap-phase-retrospectives')) {
      const retro = await lookBack(`-${phase.key}`, `, ${phase.key.replace(/_/g, ' ')}`);
      phase.retrospectiveWorkflowId = retro.workflowId;
      rec.event('system', retro.linked ? 'retrospective_linked' : 'retrospective_started', { workflowId: retro.workflowId, phase: phase.key });
    }
  }

  /** The engagement's people look back on a phase (`suffix` names it) or on the whole engagement. */
  function lookBack(keySuffix: string, titleSuffix: string) {
    return startRetrospective({
      businessKey: `roadmap-${state.businessKey}${keySuffix}`,
      title: `Retrospective: ${state.title}${titleSuffix}`,
      subjectWorkflowId: state.workflowId,
      participants: [...new Set([state.requester, state.sponsor, state.engagementLead])],
      facilitator: state.engagementLead,
      requester: input.requester,
      policyVersion: state.policyVersion,
    });
  }

  for (let i = 0; i < state.phases.length && isOpen(); i++) {
    state.phaseIndex = i;
    await runPhase(state.phases[i]!);
  }

  const outcome = state.outcome ?? 'completed';
  kernel.markClosed(outcome);
  state.closedAt = new Date().toISOString();
  const pkg = buildRoadmapPackage({ ...state, outcome, closedAt: state.closedAt });
  await storeRoadmapPackage(pkg);
  state.packageId = pkg.id;
  // Organisational learning: a completed engagement is looked back on. (Engagements recorded before this
  // change took no such step, hence the patch.)
  if (state.outcome === 'completed' && patched('roadmap-retrospective')) {
    const retro = await lookBack('', '');
    state.retrospectiveWorkflowId = retro.workflowId;
    rec.event('system', retro.linked ? 'retrospective_linked' : 'retrospective_started', { workflowId: retro.workflowId });
  }
  kernel.close(outcome, withdrawnBecause ?? 'every phase passed its gate', {
    action: 'closed',
    details: { packageId: pkg.id, deliverables: pkg.deliverables.length, children: state.children.map((c) => ({ workflowId: c.workflowId, outcome: c.outcome })) },
    recipients: [state.requester, state.sponsor, state.engagementLead],
    message: `"${state.title}": ${state.outcome}; roadmap package ${pkg.id}`,
  });
  // Engagements recorded before closing reports took no such step, hence the patch.
  if (patched('closing-report')) state.closingReportId = await storeClosingReport(state, rec, state.startedAt);
  return kernel.finish();
}
