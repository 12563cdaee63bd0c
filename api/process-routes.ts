import type { Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import type { z } from 'zod';
import { GovflowError } from '../domain/errors.js';
import { kindLabel, withArticle } from '../domain/wording.js';
import { permittedRoles, pinnedAccess } from '../domain/policy/access.js';
import type { PolicySet } from '../domain/policy/types.js';
import type { Config } from '../platform/config.js';
import type { Db } from '../platform/database.js';
import type { Logger } from '../platform/logger.js';
import {
  delegateUpdate,
  extendDeadlineUpdate,
  recordStatusQuery,
  stateQuery,
  withdrawUpdate,
  workflowIdFor,
  type Actor,
  type ProcessKind,
  type ProcessStateBase,
} from '../workflows/contracts/common.js';
import { SA } from '../workflows/contracts/search-attributes.js';
import { actorOf } from './auth.js';
import { idempotencyKeyOf } from './idempotency.js';
import type { SigningKeys } from '../platform/signing-keys.js';
import { actingFor } from '../platform/out-of-office.js';
import type { EvidenceStore } from '../platform/evidence-store.js';
import { receiptOf } from '../activities/transparency-log.js';
import { requireKnownEvidence } from './routes/evidence.js';
import type { DecisionReceipt } from '../domain/transparency/statements.js';
import type { ProcessReceipt } from '../workflows/contracts/common.js';
import type { PolicyRegistry } from './policy-registry.js';
import type { RouteRegistry } from './route-registry.js';
import { delegateBody, extendDeadlineBody, listQuery, withdrawBody } from './schemas/common.js';
import { actionResult, evaluated, processDeadlines, processPage, processState, started } from './schemas/responses.js';
import { nextSteps } from '../web/next-steps.js';
import { runningSystem } from './ai-system-refs.js';

export interface ApiDeps {
  config: Config;
  db: Db;
  temporal: Client;
  policies: PolicyRegistry;
  log: Logger;
  /** Signs decision receipts, tree heads and bundles. */
  keys: SigningKeys;
  /** Where uploaded evidence is kept, by content digest. */
  evidence: EvidenceStore;
}

/** One action of a process: its body, the Update it sends, and how the parsed body becomes the Update's argument. */
export interface TypedAction<B extends z.ZodType, A, R extends ProcessReceipt> {
  /** URL segment after `/:key/`, e.g. `votes`. */
  name: string;
  summary: string;
  body: B;
  update: UpdateDefinition<R, [A]>;
  toRequest(body: z.output<B>, actor: Actor, deps: ApiDeps): Promise<A> | A;
}

/**
 * A typed action with its types hidden, so a process can list actions of different bodies and Updates: the
 * consumer gets the action back with its types intact (body output, Update argument and result stay tied).
 */
export type ProcessAction = <T>(use: <B extends z.ZodType, A, R extends ProcessReceipt>(action: TypedAction<B, A, R>) => T) => T;

/**
 * Declares an action. The Update's argument type comes from the Update alone, so `toRequest` (usually `withActor`:
 * the body with the verified actor added) must build exactly what the Update takes, or the code does not compile.
 */
export function action<B extends z.ZodType, A, R extends ProcessReceipt>(
  spec: Omit<TypedAction<B, A, R>, 'toRequest'> & { toRequest(body: z.output<B>, actor: Actor, deps: ApiDeps): Promise<NoInfer<A>> | NoInfer<A> },
): ProcessAction {
  return (use) => use(spec);
}

/** The common Update argument: the parsed body and the actor the API verified. */
export function withActor<T extends object>(body: T, actor: Actor): T & { actor: Actor } {
  return { ...body, actor };
}

export interface ProcessSpec<S extends z.ZodType<{ businessKey: string; title: string }>> {
  kind: ProcessKind;
  /** Collection path, e.g. `/architecture-reviews`. */
  path: string;
  tag: string;
  workflowType: string;
  startBody: S;
  /** May be async, e.g. to read the record (a PoC's portfolio counts). */
  buildInput(body: z.output<S>, actor: Actor, policy: PolicySet): unknown;
  /** Actions besides the common withdraw / extend-deadline / delegate. */
  actions: ProcessAction[];
  /** Whether the common delegate action applies (processes with reviewer roles). */
  delegation: boolean;
  /** Common actions the process does not take (an AI system is retired, not withdrawn; an obligation has no deadline to extend). */
  without?: ('withdraw' | 'extend-deadline')[];
  /** Short processes (evaluations): answer the start with the finished process's outcome and result. */
  awaitResult?: boolean;
}

/** Declares a kind of process's routes: start, list, get state, and each action as a Temporal Update. */
export function registerProcessRoutes<S extends z.ZodType<{ businessKey: string; title: string }>>(
  registry: RouteRegistry,
  deps: ApiDeps,
  spec: ProcessSpec<S>,
): void {
  const { temporal, config, db } = deps;
  // Who may start comes from the policy loaded at start-up (the one new processes pin); who may take an action
  // on a process is decided by the process itself, with the access it pinned (see domain/policy/access.ts).
  const policy = deps.policies.current;
  const whoMay = (action: string) => {
    const roles = permittedRoles(policy, spec.kind, action.replace(/-/g, '_'));
    return roles.length ? `Checked by the process against the policy it pinned; in the current policy: ${roles.join(', ')} (or admin).` : undefined;
  };
  const handleFor = (key: string) => temporal.workflow.getHandle(workflowIdFor(spec.kind, key));
  const label = kindLabel(spec.kind);

  registry.add({
    method: 'post',
    path: spec.path,
    summary: `Start ${withArticle(label)}`,
    tag: spec.tag,
    roles: permittedRoles(policy, spec.kind, 'start'),
    body: spec.startBody,
    response: spec.awaitResult ? evaluated : started,
    status: 201,
    idempotent: true,
    handler: async ({ body }, _req, res) => {
      const actor = actorOf(res);
      await requireKnownEvidence(db, body);
      const { aiSystem } = body as { aiSystem?: string };
      if (aiSystem) await runningSystem(deps, aiSystem, 'aiSystem');
      const pinned = await deps.policies.pinCurrent();
      const workflowId = workflowIdFor(spec.kind, body.businessKey);
      const idempotencyKey = idempotencyKeyOf(res);
      const response = { workflowId, businessKey: body.businessKey, policyVersion: pinned.version.id, href: `${spec.path}/${body.businessKey}` };
      res.location(response.href);
      try {
        await temporal.workflow.start(spec.workflowType, {
          taskQueue: config.TEMPORAL_TASK_QUEUE,
          workflowId,
          args: [{ ...((await spec.buildInput(body as z.output<S>, actor, pinned)) as object), access: pinnedAccess(pinned, spec.kind) }],
          // A business key names one process forever: a retried or repeated start never creates a second one.
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          memo: { policyVersion: pinned.version.id, title: body.title, ...(idempotencyKey ? { idempotencyKey } : {}) },
          // What the Temporal UI's list and detail page show for the process, instead of its id alone.
          staticSummary: `${label}: ${body.title}`,
          staticDetails: `**${body.title}**\n\n${withArticle(label)} requested by ${actor.id} under policy ${pinned.version.id}; in govflow: \`/app/processes/${spec.kind}/${body.businessKey}\`, \`GET ${spec.path}/${body.businessKey}\`.`,
          typedSearchAttributes: [
            { key: SA.kind, value: spec.kind },
            { key: SA.businessKey, value: body.businessKey },
            { key: SA.requester, value: actor.id },
            { key: SA.policyVersion, value: pinned.version.id },
          ],
        });
      } catch (err) {
        // A retry (same Idempotency-Key) of a start whose first attempt got through but whose response was lost.
        if (!(err instanceof WorkflowExecutionAlreadyStartedError) || !idempotencyKey) throw err;
        const existing = await temporal.workflow.getHandle(workflowId).describe();
        if (existing.memo?.idempotencyKey !== idempotencyKey) throw err;
        return { ...response, policyVersion: String(existing.memo?.policyVersion ?? response.policyVersion) };
      }
      if (!spec.awaitResult) return response;
      const finished = (await temporal.workflow.getHandle(workflowId).result()) as ProcessStateBase & { result?: unknown };
      return { ...response, outcome: finished.outcome, result: finished.result };
    },
  });

  registry.add({
    method: 'get',
    path: spec.path,
    summary: `List ${label}s`,
    tag: spec.tag,
    roles: [],
    query: listQuery,
    response: processPage,
    handler: async ({ query }) => {
      const after = query.cursor ? decodeCursor(query.cursor) : undefined;
      const rows = await db.process.findMany({
        where: {
          kind: spec.kind,
          ...(query.stage ? { stage: query.stage } : {}),
          ...(query.outcome ? { outcome: query.outcome } : {}),
          ...(query.requester ? { requester: query.requester } : {}),
          ...(query.pendingRole ? { pendingRoles: { has: query.pendingRole } } : {}),
          ...(after ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, workflowId: { lt: after.workflowId } }] } : {}),
        },
        orderBy: [{ createdAt: 'desc' }, { workflowId: 'desc' }],
        take: query.limit + 1,
        select: {
          workflowId: true, businessKey: true, title: true, requester: true, stage: true, outcome: true,
          pendingRoles: true, riskTier: true, slaDueAt: true, policyVersion: true, createdAt: true, updatedAt: true, completedAt: true,
        },
      });
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return { items: page, nextCursor: rows.length > query.limit && last ? encodeCursor(last.createdAt, last.workflowId) : null };
    },
  });

  registry.add({
    method: 'get',
    path: `${spec.path}/:key`,
    summary: `Get ${withArticle(label)}'s full state`,
    tag: spec.tag,
    roles: [],
    response: processState,
    handler: async ({ params }) => {
      try {
        const handle = handleFor(params.key!);
        const [state, record] = await Promise.all([handle.query(stateQuery), handle.query(recordStatusQuery)]);
        // Whether the database has this state yet: ok, lagging (retrying) or failed (waiting for `govflow record retry`).
        return { ...state, record };
      } catch (err) {
        return recordedState(err, params.key!);
      }
    },
  });

  registry.add({
    method: 'get',
    path: `${spec.path}/:key/deadlines`,
    summary: `When ${withArticle(label)} next reminds, escalates and breaches its SLA`,
    description: 'The times its escalation clock fires on, computed by the code the process runs, with its pinned policy; all null once it is closed.',
    tag: spec.tag,
    roles: [],
    response: processDeadlines,
    handler: async ({ params }) => {
      const state = await handleFor(params.key!).query(stateQuery).catch((err: unknown) => recordedState(err, params.key!));
      const pinned = (await deps.policies.get(state.policyVersion)) ?? policy;
      const next = nextSteps(state, pinned);
      return { workflowId: state.workflowId, reminderAt: null, escalationAt: null, dueAt: null, breachAtDue: false, ...next };
    },
  });

  /** Past Temporal's retention the database projection is the record. */
  async function recordedState(err: unknown, key: string): Promise<ProcessStateBase> {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
    const row = await db.process.findUnique({ where: { workflowId: workflowIdFor(spec.kind, key) } });
    if (!row) throw new GovflowError('NotFound', `no ${label} with key ${key}`);
    return row.state as unknown as ProcessStateBase;
  }

  const without = new Set(spec.without ?? []);
  const common: ProcessAction[] = [
    ...(without.has('withdraw') ? [] : [action({ name: 'withdraw', summary: 'Withdraw (requester only)', body: withdrawBody, update: withdrawUpdate, toRequest: withActor })]),
    ...(without.has('extend-deadline') ? [] : [action({ name: 'extend-deadline', summary: 'Extend the deadline, with a reason', body: extendDeadlineBody, update: extendDeadlineUpdate, toRequest: withActor })]),
    ...(spec.delegation
      ? [
          action({
            name: 'delegate',
            summary: 'Delegate a reviewer role to another holder of it',
            body: delegateBody,
            update: delegateUpdate,
            toRequest: async (req, actor) => {
              const to = await db.principal.findUnique({ where: { id: req.to } });
              if (!to || to.disabled) throw new GovflowError('ValidationError', `unknown principal ${req.to}`, [{ path: 'to', message: 'no such principal' }]);
              return { actor, role: req.role, reason: req.reason, to: { id: to.id, kind: to.kind === 'agent' ? 'agent' : 'person', roles: to.roles } satisfies Actor };
            },
          }),
        ]
      : []),
  ];

  const actions = [...spec.actions, ...common];
  registry.processes.set(spec.kind, { path: spec.path, startBody: spec.startBody, actions: actions.map((a) => a(({ name, summary, body }) => ({ name, summary, body }))) });
  for (const processAction of actions) processAction((typed) => addActionRoute(typed));

  function addActionRoute<B extends z.ZodType, A, R extends ProcessReceipt>(typed: TypedAction<B, A, R>): void {
    registry.add({
      method: 'post',
      path: `${spec.path}/:key/${typed.name}`,
      summary: typed.summary,
      description: whoMay(typed.name),
      tag: spec.tag,
      roles: [],
      body: typed.body,
      response: actionResult,
      idempotent: true,
      handler: async ({ body, params }, _req, res) => {
        await requireKnownEvidence(db, body);
        const request = await typed.toRequest(body, await actingFor(db, actorOf(res), workflowIdFor(spec.kind, params.key!), res.locals.covered), deps);
        const idempotencyKey = idempotencyKeyOf(res);
        try {
          // Temporal deduplicates Updates by ID: a retried action (same Idempotency-Key) takes effect once.
          const result = await handleFor(params.key!).executeUpdate(typed.update, {
            args: [request],
            ...(idempotencyKey ? { updateId: `${typed.name}-${idempotencyKey}` } : {}),
          });
          // The action has taken effect: a receipt that cannot be signed now leaves it null (the receipt route says why).
          const receipt = await actionReceipt(deps, result, actorOf(res).id).catch((err: unknown) => {
            deps.log.error({ err, workflowId: result.workflowId }, 'the action took effect; its receipt could not be signed');
            return null;
          });
          return { ...result, receipt };
        } catch (err) {
          // A finished workflow takes no Updates; if the record knows it, the process is closed, not unknown.
          if (!(err instanceof WorkflowNotFoundError)) throw err;
          const row = await db.process.findUnique({ where: { workflowId: workflowIdFor(spec.kind, params.key!) }, select: { outcome: true, completedAt: true } });
          if (!row) throw new GovflowError('NotFound', `no ${label} with key ${params.key}`);
          throw new GovflowError('Conflict', `the ${label} ${params.key} is closed${row.outcome ? ` (${row.outcome})` : ''}`);
        }
      },
    });
  }
}

function encodeCursor(createdAt: Date, workflowId: string): string {
  return Buffer.from(JSON.stringify([createdAt.toISOString(), workflowId])).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: Date; workflowId: string } {
  try {
    const [at, workflowId] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [string, string];
    const createdAt = new Date(at);
    if (Number.isNaN(createdAt.getTime()) || typeof workflowId !== 'string') throw new Error('bad cursor');
    return { createdAt, workflowId };
  } catch {
    throw new GovflowError('ValidationError', 'cursor is not a cursor this API issued', [{ path: 'cursor', message: 'invalid' }]);
  }
}

/**
 * The signed receipt of the caller's own event in an action's answer: the newest entry by the caller at or before the
 * answer's event (a vote may be followed by the process's own `decided`). The projection normally writes it within
 * the Update's workflow task; when the record lags, there is none yet (null) and the receipt route has it later.
 */
async function actionReceipt(deps: ApiDeps, result: ProcessReceipt, actor: string): Promise<DecisionReceipt | null> {
  if (result.event === null) return null;
  const rows = await deps.db.auditEntry.findMany({ where: { workflowId: result.workflowId, actor }, orderBy: { seq: 'desc' }, take: 10 });
  const own = rows.find((r) => Number(r.eventKey.slice(r.eventKey.lastIndexOf('#') + 1)) <= result.event!);
  return own ? receiptOf(deps.db, deps.keys, own) : null;
}
