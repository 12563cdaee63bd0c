import { condition, setHandler } from '@temporalio/workflow';
import { reportingDeadline } from '../../domain/incidents/reporting.js';
import type { Actor } from '../contracts/common.js';
import { checkExtension } from '../kernel/deadline-rules.js';
import { Deadline } from '../kernel/deadline.js';
import { requireMayDecide, requireRoleFor, rolesFor } from '../kernel/duties.js';
import { refuse } from '../kernel/failures.js';
import { baseState, ProcessKernel } from '../kernel/process.js';
import {
  authorityReportUpdate,
  closeIncidentUpdate,
  findingsUpdate,
  triageUpdate,
  type CloseIncidentRequest,
  type FindingsRequest,
  type IncidentInput,
  type IncidentState,
  type TriageRequest,
  type AuthorityReportRequest,
} from './contract.js';

const DAY_MS = 86_400_000;
/** Extensions of the triage deadline (never of the law's reporting deadline) total at most this. */
const MAX_TRIAGE_EXTENSION_DAYS = 7;

/**
 * An incident with an AI system, from report to closure: triage says whether it is a serious incident (Art. 3(49))
 * and under which categories; a serious one must be reported to the market surveillance authority within the
 * shortest Art. 73 limit of its categories, counted from awareness, with a reminder before and an escalation when
 * it passes; then the investigation records the root cause and corrective actions (and whether the system is to
 * be suspended), and the incident is closed with a summary. Who may do what is the pinned policy's.
 */
export async function incident(input: IncidentInput): Promise<IncidentState> {
  const { incidents, categories } = input.policy;
  if (Number.isNaN(Date.parse(input.awareAt))) refuse('ValidationError', 'awareAt must be an ISO 8601 time', [{ path: 'awareAt', message: 'expected an ISO 8601 time' }]);
  const roles = (action: string) => rolesFor(input.access, action, []);
  const state: IncidentState = {
    ...baseState('incident', input, 'triage', roles('triage')),
    description: input.description,
    system: input.system ?? null,
    awareAt: new Date(input.awareAt).toISOString(),
    reportedBy: { id: input.requester.id, kind: input.requester.kind },
    triageDueAt: new Date(Date.now() + incidents.triageWithinDays * DAY_MS).toISOString(),
    triage: null,
    authorityDeadline: null,
    authorityReport: null,
    findings: null,
  };
  state.slaDueAt = state.triageDueAt;
  const kernel = new ProcessKernel(state, { noun: 'incident', describe });
  const { rec } = kernel;
  const isOpen = () => kernel.isOpen();
  let extensionDays = 0;
  const triageDeadline = new Deadline(Date.parse(state.triageDueAt));
  const requireStage = (stage: IncidentState['stage'], what: string) => {
    if (state.stage !== stage) refuse('Conflict', `${what} is not possible while the incident is in ${state.stage}`);
  };
  const may = (action: string, actor: Actor, what: string) => requireRoleFor(input.access, action, [], actor, what);

  kernel.start({ by: input.requester, details: { description: state.description, system: state.system, awareAt: state.awareAt, triageDueAt: state.triageDueAt } });

  setHandler(
    triageUpdate,
    (req) => {
      const serious = req.serious;
      state.triage = { serious, categories: serious ? [...new Set(req.categories!)] : [], justification: req.justification.trim(), by: req.actor.id, at: new Date().toISOString() };
      rec.event(req.actor, 'incident_triaged', { serious, categories: state.triage.categories, justification: state.triage.justification });
      if (serious) {
        state.authorityDeadline = reportingDeadline(state.awareAt, state.triage.categories, categories);
        state.stage = 'reporting';
        state.pendingRoles = roles('authority_report');
        state.slaDueAt = state.authorityDeadline.dueAt;
        rec.notify('info', [...state.pendingRoles, incidents.escalateToRole], `Serious incident "${state.title}": report it to the market surveillance authority by ${state.authorityDeadline.dueAt.slice(0, 16).replace('T', ' ')} UTC (${state.authorityDeadline.provision}, ${state.authorityDeadline.days} days from awareness)`);
      } else investigate();
      return kernel.receipt();
    },
    {
      validator: (req: TriageRequest) => {
        kernel.requireOpen();
        requireStage('triage', 'triage');
        may('triage', req.actor, 'triage incidents');
        requireMayDecide(input.access, req.actor);
        if (typeof req.serious !== 'boolean') refuse('ValidationError', 'serious must be true or false', [{ path: 'serious', message: 'expected a boolean' }]);
        if (!req.justification?.trim()) refuse('RuleViolation', 'a triage must give its reasons', [{ path: 'justification', message: 'required' }]);
        if (req.serious) {
          const known = categories.map((c) => c.key);
          if (!req.categories?.length) refuse('RuleViolation', 'a serious incident names the categories it falls under (Art. 3(49))', [{ path: 'categories', message: `one or more of ${known.join(', ')}` }]);
          const unknown = req.categories.findIndex((c) => !known.includes(c));
          if (unknown >= 0) refuse('ValidationError', `"${req.categories[unknown]}" is not a serious-incident category`, [{ path: `categories.${unknown}`, message: `expected one of ${known.join(', ')}` }]);
        }
      },
    },
  );

  setHandler(
    authorityReportUpdate,
    (req) => {
      const reportedAt = new Date(req.reportedAt ?? Date.now()).toISOString();
      state.authorityReport = { authority: req.authority.trim(), reference: req.reference.trim(), reportedAt, by: req.actor.id, late: reportedAt > state.authorityDeadline!.dueAt };
      rec.event(req.actor, 'authority_reported', { ...state.authorityReport, dueAt: state.authorityDeadline!.dueAt, provision: state.authorityDeadline!.provision });
      investigate();
      return kernel.receipt();
    },
    {
      validator: (req: AuthorityReportRequest) => {
        kernel.requireOpen();
        requireStage('reporting', 'recording the report to the authority');
        may('authority_report', req.actor, 'record the report to the authority');
        if (!req.authority?.trim()) refuse('RuleViolation', 'name the authority it was reported to', [{ path: 'authority', message: 'required' }]);
        if (!req.reference?.trim()) refuse('RuleViolation', "give the report's reference", [{ path: 'reference', message: 'required' }]);
        if (req.reportedAt !== undefined) {
          const at = Date.parse(req.reportedAt);
          if (Number.isNaN(at)) refuse('ValidationError', 'reportedAt must be an ISO 8601 time', [{ path: 'reportedAt', message: 'expected an ISO 8601 time' }]);
          if (at > Date.now() || at < Date.parse(state.awareAt)) refuse('RuleViolation', 'reportedAt lies between awareness and now', [{ path: 'reportedAt', message: 'not in the future, not before awareness' }]);
        }
      },
    },
  );

  setHandler(
    findingsUpdate,
    (req) => {
      const suspendSystem = req.suspendSystem ?? false;
      state.findings = { rootCause: req.rootCause.trim(), correctiveActions: req.correctiveActions, suspendSystem, by: req.actor.id, at: new Date().toISOString() };
      rec.event(req.actor, 'findings_recorded', { rootCause: state.findings.rootCause, correctiveActions: req.correctiveActions, suspendSystem });
      if (suspendSystem) {
        rec.event('system', 'system_suspension_requested', { system: state.aiSystem ?? state.system });
        void kernel.tellAiSystem('suspension_requested', { reason: `incident "${state.title}": ${state.findings.rootCause}` });
        rec.notify('escalation', [incidents.escalateToRole], `Incident "${state.title}": the investigation asks that ${state.system ?? 'the AI system'} be suspended until its corrective actions are done`);
      }
      for (const a of req.correctiveActions) rec.notify('info', [a.owner], `Incident "${state.title}": corrective action for you, due ${a.dueDate}: ${a.action}`);
      state.pendingRoles = roles('close');
      return kernel.receipt();
    },
    {
      validator: (req: FindingsRequest) => {
        kernel.requireOpen();
        requireStage('investigating', 'recording findings');
        may('findings', req.actor, 'record findings of an investigation');
        if (!req.rootCause?.trim()) refuse('RuleViolation', 'findings name the root cause', [{ path: 'rootCause', message: 'required' }]);
        (req.correctiveActions ?? []).forEach((a, i) => {
          if (!a.action?.trim()) refuse('RuleViolation', 'a corrective action says what is to be done', [{ path: `correctiveActions.${i}.action`, message: 'required' }]);
          if (!a.owner?.trim()) refuse('RuleViolation', 'a corrective action has an owner', [{ path: `correctiveActions.${i}.owner`, message: 'required' }]);
          if (!/^\d{4}-\d\d-\d\d$/.test(a.dueDate ?? '')) refuse('ValidationError', 'a corrective action has a due date', [{ path: `correctiveActions.${i}.dueDate`, message: 'expected YYYY-MM-DD' }]);
        });
      },
    },
  );

  setHandler(
    closeIncidentUpdate,
    (req) => {
      kernel.close('resolved', req.summary.trim(), { by: req.actor, action: 'incident_closed', recipients: [state.requester, incidents.escalateToRole] });
      return kernel.receipt();
    },
    {
      validator: (req: CloseIncidentRequest) => {
        kernel.requireOpen();
        requireStage('investigating', 'closing');
        may('close', req.actor, 'close incidents');
        if (!state.findings) refuse('RuleViolation', 'an incident closes once its findings are recorded');
        if (!req.summary?.trim()) refuse('RuleViolation', 'a closing summary is required', [{ path: 'summary', message: 'required' }]);
      },
    },
  );

  kernel.handleWithdraw({
    may: (actor) => (actor.id === state.requester || actor.roles.includes('admin') ? undefined : 'only the reporter can withdraw an incident'),
    check: () => requireStage('triage', 'withdrawing'),
  });

  kernel.handleExtensions({
    may: (actor) => (actor.roles.includes('admin') || roles('triage').some((r) => actor.roles.includes(r)) ? undefined : `extending the triage needs one of ${roles('triage').join(', ')}`),
    check: (req) => {
      if (state.stage !== 'triage') refuse('RuleViolation', "only the triage deadline can be extended: the authority report's deadline is the law's");
      checkExtension(req, extensionDays, MAX_TRIAGE_EXTENSION_DAYS, 'for triage');
    },
    apply: (req) => {
      extensionDays += req.days;
      state.triageDueAt = new Date(Date.parse(state.triageDueAt) + req.days * DAY_MS).toISOString();
      state.slaDueAt = state.triageDueAt;
      triageDeadline.moveTo(Date.parse(state.triageDueAt));
      return { triageDueAt: state.triageDueAt };
    },
  });

  function investigate(): void {
    state.stage = 'investigating';
    state.pendingRoles = roles('findings');
    state.slaDueAt = null;
  }

  // Triage: overdue is escalated, never decided by silence.
  if ((await triageDeadline.wait(() => !isOpen() || state.stage !== 'triage')) === 'due') {
    rec.event('system', 'triage_overdue', { triageDueAt: state.triageDueAt });
    rec.notify('escalation', [incidents.escalateToRole], `Incident "${state.title}" was not triaged by ${state.triageDueAt.slice(0, 10)}: a serious one may have days left to be reported`);
  }
  await condition(() => !isOpen() || state.stage !== 'triage');

  if (isOpen() && state.stage === 'reporting') {
    const due = Date.parse(state.authorityDeadline!.dueAt);
    const reported = () => !isOpen() || state.authorityReport !== null;
    if ((await new Deadline(due - incidents.reminderBeforeDays * DAY_MS).wait(reported)) === 'due' && !reported()) {
      rec.event('system', 'reminder_sent', { dueAt: state.authorityDeadline!.dueAt, provision: state.authorityDeadline!.provision });
      rec.notify('reminder', roles('authority_report'), `Incident "${state.title}": the report to the authority is due by ${state.authorityDeadline!.dueAt.slice(0, 16).replace('T', ' ')} UTC (${state.authorityDeadline!.provision})`);
    }
    if ((await new Deadline(due).wait(reported)) === 'due') {
      rec.event('system', 'authority_report_overdue', { dueAt: state.authorityDeadline!.dueAt, provision: state.authorityDeadline!.provision });
      await kernel.tellAiSystem('overdue');
      rec.notify('escalation', [incidents.escalateToRole, ...roles('authority_report')], `Incident "${state.title}": the report to the authority was due by ${state.authorityDeadline!.dueAt.slice(0, 16).replace('T', ' ')} UTC (${state.authorityDeadline!.provision}) and is not recorded`);
    }
  }
  // The investigation has no deadline of the law's: it ends with its findings and a closing summary.
  await condition(() => !isOpen());
  return kernel.finish();
}

function describe(s: IncidentState): string {
  const deadline = s.authorityDeadline && !s.authorityReport ? `; authority report due ${s.authorityDeadline.dueAt.slice(0, 16).replace('T', ' ')} UTC (${s.authorityDeadline.provision})` : '';
  return `**${s.title}** — ${s.stage}${s.triage ? (s.triage.serious ? `, serious (${s.triage.categories.join(', ')})` : ', not serious') : ''}${deadline}`;
}
