import { condition, setHandler, workflowInfo } from '@temporalio/workflow';
import { Deadline } from '../kernel/deadline.js';
import { actsAs } from '../kernel/duties.js';
import { refuse } from '../kernel/failures.js';
import { baseState, ProcessKernel } from '../kernel/process.js';
import { completeReviewUpdate, type CompleteReviewRequest, type MonitoringReviewInput, type MonitoringReviewState } from './contract.js';

const DAY_MS = 86_400_000;

/**
 * A monitoring review of an AI system, owned by the system's owner and due a policy's number of days after it opens:
 * the owner records the conclusion (summary, findings, evidence, whether action is needed). It is reminded before its
 * due date; missed, it is escalated and the system shows it overdue until it is done. It is never withdrawn: a missed
 * review stays on the record as missed.
 */
export async function monitoringReview(input: MonitoringReviewInput): Promise<MonitoringReviewState> {
  const { workflowId } = workflowInfo();
  const businessKey = workflowId.slice(workflowId.indexOf('/') + 1);
  const state: MonitoringReviewState = {
    ...baseState('monitoring_review', { ...input, businessKey }, 'open', []),
    aiSystem: input.aiSystem,
    review: input.review,
    owner: input.owner,
    prompt: input.prompt ?? null,
    dueAt: new Date(Date.now() + input.policy.dueWithinDays * DAY_MS).toISOString(),
    overdue: false,
    conclusion: null,
  };
  state.slaDueAt = state.dueAt;
  const kernel = new ProcessKernel(state, {
    noun: 'monitoring review',
    describe: (s) => `**${s.title}** — ${s.outcome ?? `due ${s.dueAt.slice(0, 10)}${s.overdue ? ' (overdue)' : ''}`}; owner ${s.owner}`,
    recorder: { pendingActors: (s) => (s.outcome === null ? [s.owner] : []) },
  });
  const { rec } = kernel;
  const { policy } = input;
  const isOpen = () => kernel.isOpen();

  kernel.start({ by: input.requester, details: { aiSystem: state.aiSystem, review: state.review, owner: state.owner, dueAt: state.dueAt, ...(state.prompt ? { prompt: state.prompt } : {}) } });
  rec.notify('info', [state.owner], `"${state.title}" is yours, due ${state.dueAt.slice(0, 10)}${state.prompt ? `: ${state.prompt}` : ''}`);

  setHandler(
    completeReviewUpdate,
    (req) => {
      const summary = req.summary.trim();
      state.conclusion = { summary, findings: req.findings, evidence: req.evidence, actionRequired: req.actionRequired, by: req.actor.id, at: new Date().toISOString() };
      const outcome = req.actionRequired ? 'action_required' : 'completed';
      kernel.close(outcome, summary, {
        by: req.actor,
        details: { findings: req.findings, evidence: req.evidence, overdue: state.overdue },
        recipients: req.actionRequired ? [state.owner, policy.escalateToRole] : [state.owner],
      });
      return kernel.receipt();
    },
    {
      validator: (req: CompleteReviewRequest) => {
        kernel.requireOpen();
        if (!actsAs(req.actor, state.owner)) refuse('Forbidden', `only the system's owner (${state.owner}) completes its monitoring review`);
        if (!req.summary?.trim()) refuse('RuleViolation', 'the review needs a summary', [{ path: 'summary', message: 'required' }]);
        if (req.actionRequired && !req.findings?.some((f) => f.trim())) refuse('RuleViolation', 'say what needs action', [{ path: 'findings', message: 'at least one finding when action is required' }]);
      },
    },
  );

  const due = Date.parse(state.dueAt);
  if ((await new Deadline(due - policy.reminderBeforeDays * DAY_MS).wait(() => !isOpen())) === 'due') {
    rec.event('system', 'reminder_sent', { dueAt: state.dueAt });
    rec.notify('reminder', [state.owner], `"${state.title}" is due on ${state.dueAt.slice(0, 10)}`);
  }
  if ((await new Deadline(due).wait(() => !isOpen())) === 'due') {
    state.overdue = true;
    rec.event('system', 'escalated', { dueAt: state.dueAt, reason: 'the monitoring review is overdue' }, policy.escalateToRole);
    rec.notify('escalation', [policy.escalateToRole, state.owner], `"${state.title}" was due on ${state.dueAt.slice(0, 10)} and is not done`);
    await kernel.tellAiSystem('overdue');
  }
  await condition(() => !isOpen());
  return kernel.finish();
}
