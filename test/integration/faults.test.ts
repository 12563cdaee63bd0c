import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { proveConsistency, verifyAuditLog } from '../../activities/transparency-log.js';
import { verifyConsistency } from '../../domain/transparency/merkle.js';
import type { PolicySet } from '../../domain/policy/types.js';
import { loadConfig } from '../../platform/config.js';
import { createDb, type Db } from '../../platform/database.js';
import { createScratchDatabase } from '../support/db.js';
import { issueToken } from '../../platform/principals.js';
import { registerSearchAttributes, startDevServer, type DevServer } from '../../platform/temporal.js';
import { reviewVoteUpdate } from '../../workflows/architecture-review/contract.js';
import { stateQuery } from '../../workflows/contracts/common.js';
import { reviewers } from '../support/actors.js';
import { architectureReviewInput, rulingsFor } from '../support/reviews.js';
import { defaultPolicy } from '../support/policy.js';
import { privatePostgres } from '../support/postgres.js';
import { CuttableProxy, freePort, spawnEntry, stablePorts, waitFor, type Child } from '../support/processes.js';

/**
 * Fault tests on real processes: a Temporal CLI dev server (SQLite file), workers and APIs as separate OS
 * processes, PostgreSQL behind a proxy the test can cut. Nothing here is mocked.
 */

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'govflow-faults-'));
const taskQueue = `faults-${randomUUID()}`;
const children: Child[] = [];
let devPort: number;
let uiPort: number;
let dev: DevServer;
let connection: Connection;
let client: Client;
let proxy: CuttableProxy;
let db: Db;
let policy: PolicySet;
let childEnv: Record<string, string>;

async function startDev(): Promise<DevServer> {
  const config = loadConfig({ DATA_DIR: dataDir, TEMPORAL_DEV_PORT: String(devPort), TEMPORAL_UI_PORT: String(uiPort) });
  return startDevServer(config, () => {});
}

function worker(): Child {
  const c = spawnEntry('worker/main.ts', childEnv);
  children.push(c);
  return c;
}

beforeAll(async () => {
  // The dev server and the API are restarted on their ports: keep those out of the ephemeral range.
  [devPort, uiPort] = (await stablePorts(2)) as [number, number];
  dev = await startDev();
  connection = await Connection.connect({ address: dev.address });
  await registerSearchAttributes(connection, 'default');
  client = new Client({ connection });
  const dbUrl = new URL(inject('databaseUrl'));
  proxy = new CuttableProxy(await freePort(), { host: dbUrl.hostname, port: Number(dbUrl.port || 5432) });
  await proxy.up();
  const proxied = new URL(dbUrl);
  proxied.port = String(proxy.port);
  db = createDb(dbUrl.toString(), 5);
  policy = await defaultPolicy();
  childEnv = {
    NODE_ENV: 'production',
    TEMPORAL_ADDRESS: dev.address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    DATABASE_URL: proxied.toString(),
    WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath'),
    DATA_DIR: dataDir,
    // The run's signing key, which the test APIs on this database sign with too (a key of their own would become the
    // database's active key when they start, and another test's bundle would name it).
    AUDIT_SIGNING_KEY: inject('auditSigningKey'),
    AUDIT_SEAL_INTERVAL_MS: '200',
  };
}, 120_000);

afterAll(async () => {
  await Promise.all(children.map((c) => c.kill()));
  await connection?.close();
  await db?.$disconnect();
  await proxy?.cut();
  await dev?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const input = (businessKey: string) => architectureReviewInput(policy, businessKey, { title: `Fault test ${businessKey}` });

const approveAll = () => rulingsFor(policy, 'approve');

/** Sends one vote until it is accepted; the Update ID makes every retry the same vote. */
async function voteUntilAccepted(handle: WorkflowHandle, role: string): Promise<void> {
  const actor = reviewers[role as keyof typeof reviewers];
  const updateId = `vote-${handle.workflowId}-${role}`;
  await waitFor(`vote ${role} on ${handle.workflowId}`, async () => {
    await handle.executeUpdate(reviewVoteUpdate, { args: [{ actor, role, rulings: approveAll() }], updateId });
    return true;
  }, 120_000, 500);
}

async function inBatches<T>(items: T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

async function expectComplete(workflowIds: string[], database = db): Promise<void> {
  for (const id of workflowIds) expect(((await client.workflow.getHandle(id).result()) as { outcome: string }).outcome).toBe('approved');
  await waitFor('the projection to catch up', async () => (await database.process.count({ where: { workflowId: { in: workflowIds }, completedAt: { not: null } } })) === workflowIds.length, 120_000, 500);
  expect(await database.decision.count({ where: { workflowId: { in: workflowIds } } })).toBe(workflowIds.length * 4);
  // started, four votes, decided: nothing lost, nothing doubled
  expect(await database.auditEntry.count({ where: { workflowId: { in: workflowIds } } })).toBe(workflowIds.length * 6);
  const doubled = await database.decision.groupBy({ by: ['workflowId', 'role'], where: { workflowId: { in: workflowIds } }, _count: true, having: { role: { _count: { gt: 1 } } } });
  expect(doubled).toEqual([]);
}

/**
 * Every entry of these processes gets a leaf once, the log verifies, and each tree head signed before the fault
 * is still there, unchanged, and provably a prefix of the newest one.
 */
async function expectSealedAndConsistent(database: Db, headsBefore: { treeSize: bigint; rootHash: string }[], workflowIds: string[]): Promise<void> {
  await waitFor('every entry sealed', async () => (await database.auditEntry.count({ where: { workflowId: { in: workflowIds }, leafIndex: null } })) === 0, 60_000, 200);
  const verified = await verifyAuditLog(database);
  expect(verified, JSON.stringify(verified.firstBroken)).toMatchObject({ ok: true });
  expect(headsBefore.length).toBeGreaterThan(0);
  for (const head of headsBefore) {
    const proof = await proveConsistency(database, Number(head.treeSize));
    expect(proof.first.rootHash).toBe(head.rootHash);
    expect(proof.second.treeSize).toBeGreaterThan(Number(head.treeSize));
    expect(verifyConsistency(proof.first.treeSize, proof.second.treeSize, proof.first.rootHash, proof.second.rootHash, proof.path)).toBe(true);
  }
}

describe('faults', () => {
  it('loses and doubles nothing when the worker is killed (-9) with 120 processes open and votes arriving', async () => {
    const first = worker();
    const keys = Array.from({ length: 120 }, (_, i) => `KILL-${i}-${randomUUID().slice(0, 6)}`);
    const handles = await Promise.all(keys.map((k) => client.workflow.start('architectureReview', { taskQueue, workflowId: `architecture-review/${k}`, args: [input(k)] })));
    const votes = handles.flatMap((h) => Object.keys(reviewers).map((role) => ({ h, role })));
    let sent = 0;
    const voting = inBatches(votes, 20, async ({ h, role }) => {
      await voteUntilAccepted(h, role);
      sent++;
    });
    await waitFor('a third of the votes', async () => sent >= votes.length / 3, 120_000, 50);
    await first.kill('SIGKILL');
    const headsBefore = await db.treeHead.findMany({ orderBy: { treeSize: 'desc' }, take: 3 });
    worker();
    await voting;
    await expectComplete(handles.map((h) => h.workflowId));
    await expectSealedAndConsistent(db, headsBefore, handles.map((h) => h.workflowId));
  }, 600_000);

  it('keeps the audit log whole across a PostgreSQL crash and restart: nothing lost or doubled, the tree heads consistent', async () => {
    const pg = await privatePostgres();
    const pgDb = createDb(pg.url, 5);
    const queue = `${taskQueue}-pg`;
    const w = spawnEntry('worker/main.ts', { ...childEnv, DATABASE_URL: pg.url, TEMPORAL_TASK_QUEUE: queue });
    children.push(w);
    try {
      const keys = Array.from({ length: 40 }, (_, i) => `PGCRASH-${i}-${randomUUID().slice(0, 6)}`);
      const handles = await Promise.all(keys.map((k) => client.workflow.start('architectureReview', { taskQueue: queue, workflowId: `architecture-review/${k}`, args: [input(k)] })));
      const votes = handles.flatMap((h) => Object.keys(reviewers).map((role) => ({ h, role })));
      let sent = 0;
      const voting = inBatches(votes, 10, async ({ h, role }) => {
        await voteUntilAccepted(h, role);
        sent++;
      });
      await waitFor('a third of the votes, sealed', async () => sent >= votes.length / 3 && (await pgDb.treeHead.count()) > 0, 120_000, 50);
      const headsBefore = await pgDb.treeHead.findMany({ orderBy: { treeSize: 'desc' }, take: 3 });
      await pg.restart('immediate');
      await voting;
      await expectComplete(handles.map((h) => h.workflowId), pgDb);
      await expectSealedAndConsistent(pgDb, headsBefore, handles.map((h) => h.workflowId));
    } finally {
      await w.kill('SIGTERM');
      await pgDb.$disconnect();
      await pg.stop();
    }
  }, 600_000);

  it('completes everything when the Temporal dev server is stopped and started again mid-flight', async () => {
    const keys = Array.from({ length: 10 }, (_, i) => `RESTART-${i}-${randomUUID().slice(0, 6)}`);
    const handles = await Promise.all(keys.map((k) => client.workflow.start('architectureReview', { taskQueue, workflowId: `architecture-review/${k}`, args: [input(k)] })));
    await inBatches(handles, 10, (h) => voteUntilAccepted(h, 'technical_lead'));
    await dev.stop();
    dev = await startDev();
    await inBatches(
      handles.flatMap((h) => ['enterprise_architect', 'security_architect', 'domain_expert'].map((role) => ({ h, role }))),
      10,
      ({ h, role }) => voteUntilAccepted(h, role),
    );
    await expectComplete(handles.map((h) => h.workflowId));
  }, 600_000);

  it('has exactly one effect when the API is killed during a request and the client retries with the same Idempotency-Key', async () => {
    const token = await issueToken(db, { id: 'rita', roles: ['requester'] }, 'faults');
    const secToken = await issueToken(db, { id: 'sam', roles: ['security_architect'] }, 'faults');
    const [port] = await stablePorts(1);
    const apiEnv = { ...childEnv, PORT: String(port), API_RATE_LIMIT_PER_MINUTE: '100000' };
    const url = `http://127.0.0.1:${port}`;
    const startApi = async () => {
      const api = spawnEntry('api/main.ts', apiEnv);
      children.push(api);
      await waitFor('the API', async () => (await fetch(`${url}/healthz`)).ok, 60_000);
      return api;
    };
    const post = (p: string, bearer: string, body: unknown, key: string) =>
      fetch(`${url}${p}`, { method: 'POST', headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify(body) });

    for (const killAfterMs of [0, 15, 60]) {
      const businessKey = `API-KILL-${killAfterMs}-${randomUUID().slice(0, 6)}`;
      const body = { businessKey, title: 'killed mid-request', trigger: 'new_system_design', systemDescription: 'x' };
      const startKey = randomUUID();
      let api = await startApi();
      const inFlight = post('/architecture-reviews', token, body, startKey).catch(() => null);
      await new Promise((r) => setTimeout(r, killAfterMs));
      await api.kill('SIGKILL');
      await inFlight;
      api = await startApi();
      // The stored "in progress" marker of a request that died is taken over after its lease expires.
      const retried = await waitFor('the retried start', async () => {
        const res = await post('/architecture-reviews', token, body, startKey);
        return res.status === 201 ? res : null;
      }, 90_000, 1000);
      expect(((await retried.json()) as { workflowId: string }).workflowId).toBe(`architecture-review/${businessKey}`);
      // Visibility is eventually consistent: wait for the start to show, then there must be only the one run.
      const runs = await waitFor('the run in visibility', async () => {
        const found: string[] = [];
        for await (const wf of client.workflow.list({ query: `WorkflowId = 'architecture-review/${businessKey}'` })) found.push(wf.runId);
        return found.length > 0 ? found : null;
      }, 30_000, 250);
      expect(runs).toHaveLength(1);

      const voteKey = randomUUID();
      const vote = { role: 'security_architect', rulings: approveAll() };
      const voteInFlight = post(`/architecture-reviews/${businessKey}/votes`, secToken, vote, voteKey).catch(() => null);
      await new Promise((r) => setTimeout(r, killAfterMs));
      await api.kill('SIGKILL');
      await voteInFlight;
      api = await startApi();
      const voted = await waitFor('the retried vote', async () => {
        const res = await post(`/architecture-reviews/${businessKey}/votes`, secToken, vote, voteKey);
        return res.status === 200 ? res : null;
      }, 90_000, 1000);
      expect(((await voted.json()) as { pendingRoles: string[] }).pendingRoles).not.toContain('security_architect');
      const review = await fetch(`${url}/architecture-reviews/${businessKey}`, { headers: { authorization: `Bearer ${secToken}` } });
      expect(((await review.json()) as { votes: unknown[] }).votes).toHaveLength(1);
      await api.kill('SIGTERM');
    }
  }, 600_000);

  it('brings up three workers started at once on a fresh database: one migrates, the others wait for it', async () => {
    const fresh = await createScratchDatabase('govflow_fresh', undefined, { migrate: false });
    try {
      const started = Array.from({ length: 3 }, () => spawnEntry('worker/main.ts', { ...childEnv, DATABASE_URL: fresh.url, LOG_LEVEL: 'info' }));
      children.push(...started);
      const anExit = Promise.race(started.map((w) => w.exited.then(() => Promise.reject(new Error(`a worker exited:\n${w.output()}`)))));
      anExit.catch(() => {}); // they are stopped at the end
      await Promise.race([waitFor('three workers running', async () => started.every((w) => w.output().includes('worker running')), 120_000, 250), anExit]);
      const migrated = createDb(fresh.url, 1);
      const applied = await migrated.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL`;
      await migrated.$disconnect();
      expect(Number(applied[0]!.n)).toBeGreaterThan(0);
      await Promise.all(started.map((w) => w.kill('SIGTERM')));
    } finally {
      await fresh.drop();
    }
  }, 180_000);

  it('answers 503 while the database is away, keeps deciding, and catches the record up once it returns', async () => {
    const token = await issueToken(db, { id: 'rita', roles: ['requester'] }, 'faults');
    const port = await freePort();
    const api = spawnEntry('api/main.ts', { ...childEnv, PORT: String(port) });
    children.push(api);
    const url = `http://127.0.0.1:${port}`;
    await waitFor('the API', async () => (await fetch(`${url}/readyz`)).ok, 60_000);

    const keys = Array.from({ length: 5 }, (_, i) => `DBDOWN-${i}-${randomUUID().slice(0, 6)}`);
    const handles = await Promise.all(keys.map((k) => client.workflow.start('architectureReview', { taskQueue, workflowId: `architecture-review/${k}`, args: [input(k)] })));
    await proxy.cut();

    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(503);
    expect(ready.headers.get('content-type')).toContain('application/problem+json');
    expect(((await ready.json()) as { detail: string }).detail).toMatch(/database unreachable/);
    const list = await fetch(`${url}/architecture-reviews`, { headers: { authorization: `Bearer ${token}` } });
    expect(list.status).toBe(503);

    // Decisions still land in Temporal; the projection activities retry until the database is back.
    await inBatches(handles.flatMap((h) => Object.keys(reviewers).map((role) => ({ h, role }))), 10, ({ h, role }) => voteUntilAccepted(h, role));
    // Decided in Temporal (the query answers without the database); the workflows finish once their record is written.
    for (const h of handles) {
      await waitFor('the decision', async () => ((await h.query(stateQuery)) as { outcome: string | null }).outcome === 'approved', 60_000);
    }
    expect(await db.process.count({ where: { workflowId: { in: handles.map((h) => h.workflowId) }, outcome: 'approved' } })).toBe(0);
    await proxy.up();
    await expectComplete(handles.map((h) => h.workflowId));
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
  }, 600_000);
});

describe('record status', () => {
  it('is lagging, with the error, while the worker cannot reach the database; ok once it returns, with nothing lost', async () => {
    // The worker alone loses the database (its own proxy); the API keeps it, so it can show what the worker cannot write.
    const lagQueue = `lagging-${randomUUID()}`;
    const dbUrl = new URL(inject('databaseUrl'));
    const workerProxy = new CuttableProxy(await freePort(), { host: dbUrl.hostname, port: Number(dbUrl.port || 5432) });
    await workerProxy.up();
    const viaProxy = new URL(dbUrl);
    viaProxy.port = String(workerProxy.port);
    try {
      const env = { ...childEnv, TEMPORAL_TASK_QUEUE: lagQueue };
      children.push(spawnEntry('worker/main.ts', { ...env, DATABASE_URL: viaProxy.toString() }));
      const port = await freePort();
      const apiChild = spawnEntry('api/main.ts', { ...env, DATABASE_URL: dbUrl.toString(), PORT: String(port) });
      children.push(apiChild);
      const url = `http://127.0.0.1:${port}`;
      await waitFor('the API', async () => (await fetch(`${url}/readyz`)).ok, 60_000);
      const rita = await issueToken(db, { id: 'rita', roles: ['requester'] }, 'faults');
      const admin = await issueToken(db, { id: 'lag-admin', roles: ['admin'] }, 'faults');
      const get = async (p: string, token: string) => (await fetch(`${url}${p}`, { headers: { authorization: `Bearer ${token}` } })).json() as Promise<Record<string, unknown>>;

      const key = `LAG-${randomUUID().slice(0, 6)}`;
      const handle = await client.workflow.start('architectureReview', { taskQueue: lagQueue, workflowId: `architecture-review/${key}`, args: [input(key)] });
      await waitFor('the first record', async () => (await db.process.findUnique({ where: { workflowId: handle.workflowId } })) !== null, 60_000);
      await workerProxy.cut();

      // The process keeps deciding; its record falls behind, and says why.
      for (const role of Object.keys(reviewers)) await voteUntilAccepted(handle, role);
      const lagging = await waitFor('the record to lag', async () => {
        const s = await get(`/architecture-reviews/${key}`, rita);
        return (s.record as { status: string }).status === 'lagging' ? s : null;
      }, 60_000, 500);
      expect(lagging.outcome).toBe('approved');
      expect(lagging.record).toEqual({ status: 'lagging', error: expect.stringMatching(/\S/), since: expect.any(String) });
      expect((await handle.describe()).status.name).toBe('RUNNING'); // it completes once its record is written
      expect(await db.process.findUniqueOrThrow({ where: { workflowId: handle.workflowId } })).toMatchObject({ outcome: null, completedAt: null });
      // Lagging catches up on its own: it is not among the records that wait for an operator.
      const failed = (await get('/records?status=failed', admin)).items as { workflowId: string }[];
      expect(failed.map((r) => r.workflowId)).not.toContain(handle.workflowId);

      await workerProxy.up();
      await expectComplete([handle.workflowId]);
      // Its history replays (a worker restart or cache eviction must not break a process that lagged).
      await Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') } }, await handle.fetchHistory(), handle.workflowId);
      const after = await get(`/architecture-reviews/${key}`, rita);
      expect(after.record, apiChild.output().slice(-3000)).toEqual({ status: 'ok' });
    } finally {
      await workerProxy.cut();
    }
  }, 300_000);
});
