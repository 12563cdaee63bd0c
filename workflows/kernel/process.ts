import { allHandlersFinished, condition, getExternalWorkflowHandle, setHandler, workflowInfo } from '@temporalio/workflow';
import type { ProcessKind } from '../../domain/process-kinds.js';
import {
  extendDeadlineUpdate,
  stateQuery,
  withdrawUpdate,
  workflowIdFor,
  type Actor,
  type EventAction,
  type ExtendDeadlineRequest,
  type ProcessReceipt,
  type ProcessStateBase,
  type WithdrawRequest,
} from '../contracts/common.js';
import { holdsAny } from '../../domain/policy/access.js';
import { aiSystemLinkSignal, type AiSystemLinkChange, type SystemRiskInput } from '../ai-system/contract.js';
import { checkExtension, requireReason } from './deadline-rules.js';
import { refuse } from './failures.js';
import { ProcessRecorder, type RecorderOptions } from './process-recorder.js';

/** What every process's input carries about itself. */
export interface ProcessStart {
  businessKey: string;
  title: string;
  requester: Actor;
  policyVersion: string;
  /** The business key of the AI system of the inventory it concerns: the system's record follows the process. */
  aiSystem?: string;
}

/** The fields every process's state starts with; each kind spreads them and adds its own. */
export function baseState<K extends ProcessKind, Stage extends string>(kind: K, input: ProcessStart, stage: Stage, pendingRoles: string[] = []) {
  return {
    workflowId: workflowInfo().workflowId,
    kind,
    businessKey: input.businessKey,
    title: input.title,
    requester: input.requester.id,
    policyVersion: input.policyVersion,
    stage,
    outcome: null,
    pendingRoles,
    slaDueAt: null as string | null,
    ...(input.aiSystem ? { aiSystem: input.aiSystem } : {}),
    events: [],
    notices: [],
  };
}

export interface CloseOptions {
  /** Who closed it and with which action; by default govflow records `decided`. */
  by?: Actor | 'system';
  action?: EventAction;
  role?: string;
  /** Recorded after outcome and reason. */
  details?: Record<string, unknown>;
  /** The outcome notice's recipients and text; by default the requester, told outcome and reason. */
  recipients?: string[];
  message?: string;
}

/**
 * The process kernel: the lifecycle every govflow process shares, written once. It owns the state query, the
 * recorder (state, audit events, notifications, search attributes, current details), the open/closed rule and its
 * refusal, closing with an outcome and a reason, withdrawal and deadline extension; each workflow adds its stages and
 * decisions, and says who may withdraw or extend and what an extension moves.
 */
export class ProcessKernel<S extends ProcessStateBase> {
  readonly rec: ProcessRecorder<S>;

  constructor(
    readonly state: S,
    private readonly options: {
      /** The process as messages name it, e.g. "review": "the review is closed (approved)". */
      noun: string;
      /** How a refusal says it is closed: "is closed" by default ("the engagement has ended (completed)"). */
      closedAs?: string;
      describe: (state: S) => string;
      recorder?: RecorderOptions<S>;
      /** Engine outputs about the AI system it concerns that its risk register takes in when the process closes. */
      systemRisks?: (state: S) => SystemRiskInput[];
    },
  ) {
    this.rec = new ProcessRecorder(state, options.describe, options.recorder);
  }

  /**
   * Starts the record, before any handler is registered: an Update that arrives with the start (delivered as its
   * handler is set) comes after the start in the record. `started` is the opening event, if the process has one.
   */
  start(started?: { by: Actor; details: Record<string, unknown>; role?: string; action?: EventAction }): void {
    this.rec.start();
    if (started) this.rec.event(started.by, started.action ?? 'started', started.details, 'role' in started ? started.role : 'requester');
    setHandler(stateQuery, () => this.state);
    void this.tellAiSystem('opened');
  }

  /**
   * Tells the AI system the process concerns (if any) that it opened, went overdue, closed or asks for a suspension.
   * A system that is gone (retired and past retention) cannot take it, and the process goes on regardless.
   */
  async tellAiSystem(change: AiSystemLinkChange['change'], extra: Partial<AiSystemLinkChange> = {}): Promise<void> {
    const s = this.state;
    if (!s.aiSystem) return;
    const message: AiSystemLinkChange = { workflowId: s.workflowId, kind: s.kind, title: s.title, change, ...extra };
    await getExternalWorkflowHandle(workflowIdFor('ai_system', s.aiSystem))
      .signal(aiSystemLinkSignal, message)
      .catch(() => undefined);
  }

  isOpen(): boolean {
    return this.state.outcome === null;
  }

  requireOpen(): void {
    if (!this.isOpen()) refuse('Conflict', `the ${this.options.noun} ${this.options.closedAs ?? 'is closed'} (${this.state.outcome})`);
  }

  /** Ends the process with an outcome and a reason: nothing is pending any more, and the record says why. */
  close(outcome: NonNullable<S['outcome']>, reason: string, opts: CloseOptions = {}): void {
    const s = this.state;
    this.markClosed(outcome);
    this.rec.event(opts.by ?? 'system', opts.action ?? 'decided', { outcome, reason, ...opts.details }, opts.role);
    this.rec.notify('outcome', opts.recipients ?? [s.requester], opts.message ?? `"${s.title}": ${outcome.replace(/_/g, ' ')} — ${reason}`);
  }

  /** Marks the process closed with `outcome`, leaving the record of why to the caller's own event. */
  markClosed(outcome: NonNullable<S['outcome']>): void {
    const s = this.state;
    s.outcome = outcome;
    s.stage = 'closed' as S['stage'];
    s.pendingRoles = [];
    s.slaDueAt = null;
    if (s.deadlines) s.deadlines = null;
  }

  /**
   * The withdraw Update: open, a reason, and `may` (a refusal message when the actor may not). The handler runs
   * `before`, records `withdrawn`, then closes: by `decide` (by default a `decided` event with the reason), or, with
   * `decide: false`, by the withdrawn event alone; `then` runs last.
   */
  handleWithdraw(opts: {
    may: (actor: Actor) => string | undefined;
    check?: (req: WithdrawRequest) => void;
    details?: (req: WithdrawRequest) => Record<string, unknown>;
    /** The role the withdrawal is recorded under; the requester's by default, none with null. */
    role?: string | null;
    before?: (req: WithdrawRequest) => void;
    decide?: false | ((req: WithdrawRequest) => void);
    then?: (req: WithdrawRequest) => void;
  }): void {
    const role = opts.role === undefined ? 'requester' : (opts.role ?? undefined);
    setHandler(
      withdrawUpdate,
      (req) => {
        opts.before?.(req);
        if (opts.decide === false) this.markClosed('withdrawn');
        this.rec.event(req.actor, 'withdrawn', { reason: req.reason, ...opts.details?.(req) }, role);
        if (opts.decide) opts.decide(req);
        else if (opts.decide === undefined) this.close('withdrawn', req.reason);
        opts.then?.(req);
        return this.receipt();
      },
      {
        validator: (req: WithdrawRequest) => {
          this.requireOpen();
          const refusal = opts.may(req.actor);
          if (refusal) refuse('Forbidden', refusal);
          opts.check?.(req);
          requireReason(req.reason, 'a withdrawal');
        },
      },
    );
  }

  /**
   * The extend-deadline Update: open, `may`, then `check` (the extension's own rule, e.g. checkExtension); `apply`
   * moves the deadline and answers what the `deadline_extended` event records beside days and reason.
   */
  handleExtensions(opts: {
    may: (actor: Actor) => string | undefined;
    check: (req: ExtendDeadlineRequest) => void;
    apply: (req: ExtendDeadlineRequest) => Record<string, unknown>;
    /** Runs once the extension is recorded. */
    then?: () => void;
  }): void {
    setHandler(
      extendDeadlineUpdate,
      (req) => {
        const details = opts.apply(req);
        this.rec.event(req.actor, 'deadline_extended', { days: req.days, reason: req.reason, ...details });
        opts.then?.();
        return this.receipt();
      },
      {
        validator: (req: ExtendDeadlineRequest) => {
          this.requireOpen();
          const refusal = opts.may(req.actor);
          if (refusal) refuse('Forbidden', refusal);
          opts.check(req);
        },
      },
    );
  }

  /**
   * Extensions of the escalation timers, read from `state.extensionDays`: the requester, an admin or a holder of one
   * of `roles` may extend, by whole days, with a reason, within `maxTotal` (per `scope`, e.g. "per stage").
   */
  handleExtensionDays(
    this: ProcessKernel<S & { extensionDays: number }>,
    opts: {
      roles: string[];
      maxTotal: number;
      scope?: string;
      /** Who else may extend, besides the roles (the requester by default), and how a refusal names them. */
      others?: { may: (actor: Actor) => boolean; named: string };
      check?: () => void;
      details?: () => Record<string, unknown>;
    },
  ): void {
    const { state } = this;
    const others = opts.others ?? { may: (a: Actor) => a.id === state.requester, named: 'the requester' };
    this.handleExtensions({
      may: (actor) => (others.may(actor) || holdsAny(actor, opts.roles) ? undefined : `only ${others.named}, an admin or a holder of ${opts.roles.join(' or ')} can extend the deadline`),
      check: (req) => {
        opts.check?.();
        checkExtension(req, state.extensionDays, opts.maxTotal, opts.scope);
      },
      apply: (req) => {
        state.extensionDays += req.days;
        return { ...opts.details?.(), totalExtensionDays: state.extensionDays };
      },
    });
  }

  /**
   * What an accepted Update answers: where the process stands after it, not its whole state (which every Update
   * result would otherwise copy into the history). The full state is the state query's.
   */
  receipt(): ProcessReceipt {
    const s = this.state;
    return {
      workflowId: s.workflowId,
      kind: s.kind,
      stage: s.stage,
      outcome: s.outcome,
      pendingRoles: s.pendingRoles,
      slaDueAt: s.slaDueAt,
      version: this.rec.stateVersion,
      event: s.events.at(-1)?.seq ?? null,
    };
  }

  /** Waits for every Update to finish and the record to reach the database; the workflow's result. */
  async finish(): Promise<S> {
    await condition(allHandlersFinished);
    const s = this.state;
    await this.tellAiSystem('closed', { outcome: s.outcome, riskTier: s.riskTier ?? null, risks: this.options.systemRisks?.(s) ?? [] });
    await this.rec.close();
    return this.state;
  }
}
