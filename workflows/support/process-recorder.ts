import { condition, proxyActivities, proxyLocalActivities, setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { Activities, DecisionRecord } from '../../activities/index.js';
import type { Actor, Notice, ProcessEvent, ProcessStateBase } from '../contracts/common.js';
import { SA } from '../contracts/search-attributes.js';

// The projection is a local activity: it runs in the worker that runs the workflow, without a round trip
// through the server per write, and retries until the database is back (a decision must reach the record).
const { recordProcess } = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});
// Webhook delivery may be slow or down: a regular activity, so it never holds up a workflow task.
const { deliverNotifications } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes', maximumAttempts: 12 },
});

export interface RecorderCheckpoint {
  seq: number;
  version: number;
}

/**
 * Keeps a process's state, audit events, notifications, search attributes and current details together.
 * Update handlers change state synchronously (so an accepted update answers at once); a pump running beside
 * the workflow writes the changes to the database in order, through idempotent activities keyed by event.
 */
export class ProcessRecorder<S extends ProcessStateBase> {
  private seq = 0;
  private version = 0;
  private flushedVersion = 0;
  private events: ProcessEvent[] = [];
  private decisions: DecisionRecord[] = [];
  private notices: Notice[] = [];
  private closed = false;
  private pump: Promise<void> | undefined;
  /** Webhook deliveries run one after another, beside the projection, so a slow webhook never holds it up. */
  private deliveries: Promise<void> = Promise.resolve();
  private deliveriesInFlight = 0;

  private readonly pendingActors?: (state: S) => string[];
  private readonly openRoles: (state: S) => string[];
  private readonly seatedActors?: (state: S) => string[];

  constructor(
    readonly state: S,
    private readonly describe: (state: S) => string,
    options: {
      /** A run continued as new resumes numbering where the last left off, so event keys and versions never repeat. */
      resume?: RecorderCheckpoint;
      /** The people the process waits on by name, derived from its state on every change (for their inbox). */
      pendingActors?: (state: S) => string[];
      /** The pending roles that any holder may take; by default every pending role but the requester's (a named person). */
      openRoles?: (state: S) => string[];
      /** The people who have already taken their seat at this stage (e.g. cast their ballot). */
      seatedActors?: (state: S) => string[];
    } = {},
  ) {
    this.pendingActors = options.pendingActors;
    this.openRoles = options.openRoles ?? ((s) => s.pendingRoles.filter((r) => r !== 'requester'));
    this.seatedActors = options.seatedActors;
    const { resume } = options;
    if (resume) {
      this.seq = resume.seq;
      this.version = resume.version;
      this.flushedVersion = resume.version;
    }
  }

  /** What a continued-as-new run needs to resume this recorder (see the constructor). */
  checkpoint(): RecorderCheckpoint {
    return { seq: this.seq, version: this.version };
  }

  /** Waits until every change so far has reached the database, leaving the process open (before continue-as-new). */
  async flushed(): Promise<void> {
    await condition(() => this.version === this.flushedVersion && this.deliveriesInFlight === 0);
  }

  start(): void {
    const s = this.state;
    upsertSearchAttributes([
      { key: SA.kind, value: s.kind },
      { key: SA.requester, value: s.requester },
      { key: SA.businessKey, value: s.businessKey },
      { key: SA.policyVersion, value: s.policyVersion },
    ]);
    this.pump = this.runPump();
    this.changed();
  }

  /** Records an auditable action by a person, an agent, or the process itself. */
  event(actor: Actor | 'system', action: string, details: Record<string, unknown>, role?: string): ProcessEvent {
    const event: ProcessEvent = {
      seq: ++this.seq,
      at: new Date().toISOString(),
      actor: actor === 'system' ? 'govflow' : actor.id,
      actorKind: actor === 'system' ? 'system' : actor.kind,
      role,
      action,
      details,
      // Only present for identity-provider actors, so other events stay exactly as before (replay, audit hashes).
      ...(actor !== 'system' && actor.identity ? { identity: actor.identity } : {}),
    };
    this.state.events.push(event);
    this.events.push(event);
    this.changed();
    return event;
  }

  /** Records a ruling as a queryable decision row, tied to the audit event that carries it. */
  decision(event: ProcessEvent, decision: Omit<DecisionRecord, 'eventKey' | 'decidedAt' | 'actor' | 'actorKind'>): void {
    this.decisions.push({ ...decision, eventKey: String(event.seq), decidedAt: event.at, actor: event.actor, actorKind: event.actorKind });
  }

  notify(kind: Notice['kind'], recipients: string[], message: string): void {
    const notice: Notice = { seq: ++this.seq, kind, recipients, message };
    this.state.notices.push(notice);
    this.notices.push(notice);
    this.changed();
  }

  /** Call after any state change: refreshes search attributes and current details, and schedules a write. */
  changed(): void {
    this.version++;
    const s = this.state;
    const open = s.outcome === null;
    if (this.pendingActors) s.pendingActors = open ? [...new Set(this.pendingActors(s))] : [];
    s.openRoles = open ? [...new Set(this.openRoles(s))] : [];
    if (this.seatedActors) s.seatedActors = open ? [...new Set(this.seatedActors(s))] : [];
    upsertSearchAttributes([
      { key: SA.stage, value: s.stage },
      { key: SA.outcome, value: s.outcome ?? 'pending' },
      { key: SA.pendingRoles, value: s.pendingRoles },
      { key: SA.slaDueAt, value: s.slaDueAt ? new Date(s.slaDueAt) : null },
      ...(s.riskTier ? [{ key: SA.riskTier, value: s.riskTier }] : []),
    ]);
    setCurrentDetails(this.describe(s));
  }

  /** Marks the process finished and waits until everything has reached the database. */
  async close(): Promise<void> {
    this.closed = true;
    this.changed();
    await this.pump;
  }

  private async runPump(): Promise<void> {
    const settled = () => this.closed && this.version === this.flushedVersion && this.deliveriesInFlight === 0;
    for (;;) {
      await condition(() => this.version !== this.flushedVersion || settled());
      if (settled()) return;
      const version = this.version;
      const events = this.events.splice(0);
      const decisions = this.decisions.splice(0);
      const notices = this.notices.splice(0);
      await recordProcess({ workflowId: workflowInfo().workflowId, state: this.state, completed: this.closed, stateVersion: version, events, decisions, notices });
      this.flushedVersion = version;
      if (notices.length > 0) this.deliver(notices);
    }
  }

  private deliver(notices: Notice[]): void {
    this.deliveriesInFlight++;
    this.deliveries = this.deliveries
      .then(() => deliverNotifications({ workflowId: workflowInfo().workflowId }))
      .then(
        () => undefined,
        () => void this.event('system', 'notification_delivery_failed', { notices: notices.map((n) => n.seq) }),
      )
      .finally(() => {
        this.deliveriesInFlight--;
      });
  }
}
