import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  metricMeter,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { Activities, DecisionRecord, ProcessSnapshot, RecordResult } from '../../activities/index.js';
import { recordRetrySignal, recordStatusQuery, type Actor, type EventAction, type Notice, type ProcessEvent, type ProcessStateBase, type RecordStatus } from '../contracts/common.js';
import { SA } from '../contracts/search-attributes.js';

// Runs started before the patch below keep this: a local activity retried until the database took the write, each
// attempt inside the workflow task (bad data was retried forever).
const { recordProcess: recordUnbounded } = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});
const BOUNDED_RECORD_WRITES = 'bounded-record-writes';
// The projection is a local activity: it runs in the worker that runs the workflow, without a round trip through the
// server per write. Bounded: after 20 s of retryable errors (the database is away) a regular activity takes over and
// retries with backoff outside any workflow task; a permanent error (bad data, a constraint) is not retried at all.
const { recordProcess: recordLocal } = proxyLocalActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  scheduleToCloseTimeout: '20 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 seconds' },
});
// Runs started since the patch below bound the local write by attempts (2, within ~10 s), not by a schedule-to-close
// that the SDK does not enforce while an attempt waits out its backoff: a refused connection then hands over to the
// regular activity at once (`lagging`) instead of holding the workflow task open for the whole outage.
const RECORD_ATTEMPTS_BOUNDED = 'record-attempts-bounded';
const { recordProcess: recordLocalBounded } = proxyLocalActivities<Activities>({
  startToCloseTimeout: '5 seconds',
  retry: { initialInterval: '1 second', maximumAttempts: 2 },
});
const { recordProcess: recordRemote, noteRecordStatus } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds' },
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

export interface RecorderOptions<S extends ProcessStateBase> {
  /** A run continued as new resumes numbering where the last left off, so event keys and versions never repeat. */
  resume?: RecorderCheckpoint;
  /** The people the process waits on by name, derived from its state on every change (for their inbox). */
  pendingActors?: (state: S) => string[];
  /** The pending roles that any holder may take; by default every pending role but the requester's (a named person). */
  openRoles?: (state: S) => string[];
  /** The people who have already taken their seat at this stage (e.g. cast their ballot). */
  seatedActors?: (state: S) => string[];
}

/**
 * Marks runs that upsert a search attribute only when its value changes (earlier runs upserted all of them on every
 * change: most of those commands changed nothing, and each one is a history event and a visibility write).
 */
const SEARCH_ATTRIBUTES_ON_CHANGE = 'search-attributes-on-change';
/**
 * Marks runs that send one upsert per workflow task, merging every change made in it (earlier runs sent one per
 * change: a start made six history events where one now does; the server's CPU did not measurably change).
 */
const SEARCH_ATTRIBUTES_PER_TASK = 'search-attributes-per-task';


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
  private record: RecordStatus = { status: 'ok' };
  /** Operators' retries (recordRetrySignal) of a failed record. */
  private retriesAsked = 0;
  /** Record-status rows written one after another; `failureNoted` once a failure reached the database. */
  private notes: Promise<void> = Promise.resolve();
  private notesInFlight = 0;
  private failureNoted = false;
  private upsertOnChange = false;
  private upsertPerTask = false;
  /** Attributes changed in this workflow task, upserted together once its synchronous work is done. */
  private pendingUpserts: Map<string, SearchAttributeUpdatePair> | undefined;
  private recordLocal = recordLocal;
  /** The value of each search attribute as last upserted (JSON), to skip upserts that change nothing. */
  private readonly upserted = new Map<string, string>();

  private readonly pendingActors?: (state: S) => string[];
  private readonly openRoles: (state: S) => string[];
  private readonly seatedActors?: (state: S) => string[];

  constructor(
    readonly state: S,
    private readonly describe: (state: S) => string,
    options: RecorderOptions<S> = {},
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

  /** Counts the process's changes: a newer state has a higher version (receipts and links carry it). */
  get stateVersion(): number {
    return this.version;
  }

  /** What a continued-as-new run needs to resume this recorder (see the constructor). */
  checkpoint(): RecorderCheckpoint {
    return { seq: this.seq, version: this.version };
  }

  /** Waits until every change so far has reached the database, leaving the process open (before continue-as-new). */
  async flushed(): Promise<void> {
    await condition(() => this.version === this.flushedVersion && this.deliveriesInFlight === 0 && this.notesInFlight === 0);
  }

  start(): void {
    const s = this.state;
    this.upsertOnChange = patched(SEARCH_ATTRIBUTES_ON_CHANGE);
    this.upsertPerTask = this.upsertOnChange && patched(SEARCH_ATTRIBUTES_PER_TASK);
    this.upsert([
      { key: SA.kind, value: s.kind },
      { key: SA.requester, value: s.requester },
      { key: SA.businessKey, value: s.businessKey },
      { key: SA.policyVersion, value: s.policyVersion },
    ]);
    setHandler(recordStatusQuery, () => this.record);
    setHandler(recordRetrySignal, () => void this.retriesAsked++);
    this.pump = this.runPump();
    this.changed();
  }

  /** Records an auditable action by a person, an agent, or the process itself. */
  event(actor: Actor | 'system', action: EventAction, details: Record<string, unknown>, role?: string): ProcessEvent {
    const event: ProcessEvent = {
      seq: ++this.seq,
      at: new Date().toISOString(),
      actor: actor === 'system' ? 'govflow' : actor.id,
      actorKind: actor === 'system' ? 'system' : actor.kind,
      role,
      action,
      // Only actions through a message's link (`via`) or by a deputy (`onBehalfOf`) add to the details, so every other
      // event stays exactly as before.
      details: actor === 'system' ? details : { ...details, ...(actor.via ? { via: actor.via } : {}), ...(actor.onBehalfOf ? { onBehalfOf: actor.onBehalfOf } : {}) },
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
    this.upsert([
      { key: SA.stage, value: s.stage },
      { key: SA.outcome, value: s.outcome ?? 'pending' },
      { key: SA.pendingRoles, value: s.pendingRoles },
      { key: SA.slaDueAt, value: s.slaDueAt ? new Date(s.slaDueAt) : null },
      ...(s.riskTier ? [{ key: SA.riskTier, value: s.riskTier }] : []),
    ]);
    setCurrentDetails(this.details());
  }

  /** Upserts the attributes; on patched runs only those whose value differs from the last upsert. */
  private upsert(updates: SearchAttributeUpdatePair[]): void {
    const changed = this.upsertOnChange ? updates.filter((u) => this.upserted.get(u.key.name) !== JSON.stringify(u.value)) : updates;
    if (changed.length === 0) return;
    for (const u of changed) this.upserted.set(u.key.name, JSON.stringify(u.value));
    if (!this.upsertPerTask) return upsertSearchAttributes(changed);
    if (!this.pendingUpserts) {
      this.pendingUpserts = new Map();
      // A microtask runs before the activation's commands are collected, after the handler's synchronous changes.
      void Promise.resolve().then(() => {
        const pending = [...this.pendingUpserts!.values()];
        this.pendingUpserts = undefined;
        upsertSearchAttributes(pending);
      });
    }
    for (const u of changed) this.pendingUpserts.set(u.key.name, u);
  }

  /** The UI's current details: what the process waits on, and a record that has not reached the database. */
  private details(): string {
    const r = this.record;
    if (r.status === 'ok') return this.describe(this.state);
    const next = r.status === 'failed' ? `after repairing the cause: govflow record retry ${workflowInfo().workflowId}` : 'retrying with backoff';
    return `${this.describe(this.state)}\n\nRecord ${r.status} since ${r.since}: ${r.error} (${next})`;
  }

  /** Marks the process finished and waits until everything has reached the database. */
  async close(): Promise<void> {
    this.closed = true;
    this.changed();
    await this.pump;
  }

  private async runPump(): Promise<void> {
    // Replays of runs started before bounded writes take the unbounded path they recorded.
    const bounded = patched(BOUNDED_RECORD_WRITES);
    this.recordLocal = bounded && patched(RECORD_ATTEMPTS_BOUNDED) ? recordLocalBounded : recordLocal;
    const settled = () => this.closed && this.version === this.flushedVersion && this.deliveriesInFlight === 0 && this.notesInFlight === 0;
    for (;;) {
      await condition(() => this.version !== this.flushedVersion || settled());
      if (settled()) return;
      const version = this.version;
      const events = this.events.splice(0);
      const decisions = this.decisions.splice(0);
      const notices = this.notices.splice(0);
      const snapshot = { workflowId: workflowInfo().workflowId, state: this.state, completed: this.closed, stateVersion: version, events, decisions, notices };
      const recorded = await (bounded ? this.write(snapshot) : recordUnbounded(snapshot));
      this.flushedVersion = version;
      // A write that left no delivery to send needs no delivery activity. Writes recorded before the result said so
      // (undefined in their history) deliver as they did.
      if (notices.length > 0 && (recorded?.deliveries ?? 1) > 0) this.deliver(notices);
    }
  }

  /**
   * Writes one snapshot: directly while the database takes it, through the regular activity while it is away
   * (`lagging`), and after an operator's retry when bad data or a constraint refused it (`failed`). The process keeps
   * deciding meanwhile; only its completion waits for the record.
   */
  private async write(snapshot: ProcessSnapshot): Promise<RecordResult | undefined> {
    for (;;) {
      try {
        const recorded = await (this.record.status === 'ok' ? this.recordLocal(snapshot) : recordRemote(snapshot));
        if (this.record.status !== 'ok') this.setRecord({ status: 'ok' });
        return recorded;
      } catch (err) {
        const cause = err instanceof ActivityFailure ? err.cause : err;
        const permanent = cause instanceof ApplicationFailure && cause.nonRetryable;
        const since = this.record.since ?? new Date().toISOString();
        this.setRecord({ status: permanent ? 'failed' : 'lagging', error: (cause as Error | undefined)?.message ?? String(err), since });
        if (permanent) {
          const asked = this.retriesAsked;
          await condition(() => this.retriesAsked !== asked);
        }
      }
    }
  }

  private setRecord(next: RecordStatus): void {
    this.record = next;
    setCurrentDetails(this.details());
    if (next.status !== 'ok') metricMeter.createCounter('govflow_record_failures', 'writes', 'Process record writes that failed, by status').add(1, { status: next.status, kind: this.state.kind });
    // A failure is kept beside the process for operators (while lagging the database is what is missing), and
    // cleared once the record catches up.
    if (next.status === 'failed' || (next.status === 'ok' && this.failureNoted)) {
      this.failureNoted = next.status === 'failed';
      this.notesInFlight++;
      this.notes = this.notes
        .then(() => noteRecordStatus({ workflowId: workflowInfo().workflowId, ...next }))
        .catch(() => undefined)
        .finally(() => {
          this.notesInFlight--;
        });
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
