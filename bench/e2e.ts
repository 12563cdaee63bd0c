/**
 * End-to-end benchmarks on this machine, all on loopback, bounded in count and time:
 *   1. N architecture reviews started and driven to approval (four votes each) through the API, and the same
 *      through a bare Temporal client, in the same run; and the limit: a minimal workflow with the same messages
 *      (bench/minimal/workflow.ts: start, four validated Updates, completion, nothing else) on the same server;
 *   2. latency of a vote (Update round trip through the API) at 1, 10 and 50 concurrent clients, and of the
 *      minimal workflow's Update: p50, p99;
 *   3. worker memory per open process (1,000 and 10,000 open reviews).
 * Uses the Temporal CLI dev server, PostgreSQL on 127.0.0.1:5432 (a scratch database), and govflow as `npm start`
 * runs it (worker and API in one process) or, with --split, as `npm run worker` and `npm run api` run them (two
 * processes); the load comes from this process. Prints a markdown report for BENCHMARKS.md.
 *   npx tsx bench/e2e.ts [--reviews 1000] [--open 1000,10000] [--split]
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { loadPolicySet, defaultPolicyDir } from '../domain/policy/load.js';
import { loadConfig } from '../platform/config.js';
import { createDb } from '../platform/database.js';
import { newToken } from '../platform/principals.js';
import { connectTemporal, startDevServer } from '../platform/temporal.js';
import { reviewVoteUpdate } from '../workflows/architecture-review/contract.js';
import { minimalVoteUpdate } from './minimal/workflow.js';
import { createScratchDatabase } from '../test/support/db.js';
import { freePort, spawnEntry, waitFor } from '../test/support/processes.js';
import { architectureReviewInput } from '../test/support/reviews.js';

const { values } = parseArgs({
  options: { reviews: { type: 'string', default: '1000' }, open: { type: 'string', default: '1000,10000' }, split: { type: 'boolean', default: false } },
});
const N = Number(values.reviews);
const OPEN = values.open!.split(',').map(Number).filter((n) => n > 0);
const ROLES = { technical_lead: 'tom', enterprise_architect: 'erin', security_architect: 'sam', domain_expert: 'dora' } as const;
const DEADLINE = Date.now() + 40 * 60_000; // the whole run stops by itself

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'govflow-bench-'));
const scratch = await createScratchDatabase('govflow_bench');
const dbUrl = scratch.url;

const config = loadConfig({ DATA_DIR: dataDir, TEMPORAL_DEV_PORT: String(await freePort()), TEMPORAL_UI_PORT: String(await freePort()) });
const dev = await startDevServer(config, () => {});
const temporal = await connectTemporal(config);
const client = new Client({ connection: temporal.client });
const db = createDb(dbUrl, 5);
const policySet = await loadPolicySet(defaultPolicyDir());
const adminToken = newToken();
const port = await freePort();
// Either as `npm start` runs them (worker and API in one process), or with --split as `npm run worker` and
// `npm run api` run them (two processes on one task queue).
const govflowEnv = {
  DATA_DIR: dataDir, TEMPORAL_ADDRESS: dev.address, DATABASE_URL: dbUrl, DATABASE_POOL_MAX: '20', PORT: String(port),
  GOVFLOW_BOOTSTRAP_TOKEN: adminToken, API_RATE_LIMIT_PER_MINUTE: '10000000', LOG_LEVEL: 'warn',
};
const worker = values.split ? spawnEntry('worker/main.ts', { ...govflowEnv, LOG_LEVEL: 'info' }) : spawnEntry('scripts/start.ts', govflowEnv);
// The split worker applies the migrations before the API starts; it says so once it polls the task queue.
if (values.split) await waitFor('the worker', async () => worker.output().includes('worker running'), 120_000, 500);
const apiProcess = values.split ? spawnEntry('api/main.ts', govflowEnv) : undefined;
const api = { url: `http://127.0.0.1:${port}` };
await waitFor('the API', async () => (await fetch(`${api.url}/readyz`)).ok, 120_000, 500);
const tokens: Record<string, string> = {};
for (const [role, id] of [['requester', 'rita'], ...Object.entries(ROLES)] as [string, string][]) {
  tokens[role] = ((await post('/principals', adminToken, { id, roles: [role] })) as { token: string }).token;
}
// The minimal workflow runs in a worker of this process, on its own task queue of the same server.
const MINIMAL_QUEUE = 'bench-minimal';
const minimalWorker = await Worker.create({
  connection: await temporal.worker(),
  taskQueue: MINIMAL_QUEUE,
  workflowsPath: fileURLToPath(new URL('./minimal/workflow.ts', import.meta.url)),
});
const minimalRun = minimalWorker.run();
const rulings = Object.fromEntries(policySet.architectureReview.approvalCriteria.map((c) => [c, 'approve']));

async function post(p: string, token: string, body: unknown): Promise<unknown> {
  const res = await fetch(`${api.url}${p}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${p}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length && Date.now() < DEADLINE) await fn(items[next++]!);
    }),
  );
}

const input = (key: string) => architectureReviewInput(policySet, key, { title: `bench ${key}` });

async function viaApi(key: string): Promise<void> {
  await post('/architecture-reviews', tokens.requester!, { businessKey: key, title: `bench ${key}`, trigger: 'new_system_design', systemDescription: 'bench' });
  for (const role of Object.keys(ROLES)) await post(`/architecture-reviews/${key}/votes`, tokens[role]!, { role, rulings });
  await client.workflow.getHandle(`architecture-review/${key}`).result();
}

async function viaClient(key: string): Promise<void> {
  const h = await client.workflow.start('architectureReview', { taskQueue: config.TEMPORAL_TASK_QUEUE, workflowId: `architecture-review/${key}`, args: [input(key)] });
  for (const [role, id] of Object.entries(ROLES)) await h.executeUpdate(reviewVoteUpdate, { args: [{ actor: { id, kind: 'person', roles: [role] }, role, rulings: rulings as never }] });
  await h.result();
}

async function viaMinimal(key: string): Promise<void> {
  const h = await client.workflow.start('minimalReview', { taskQueue: MINIMAL_QUEUE, workflowId: `minimal/${key}`, args: [Object.keys(ROLES)] });
  for (const role of Object.keys(ROLES)) await h.executeUpdate(minimalVoteUpdate, { args: [{ role, verdict: 'approve' }] });
  await h.result();
}

/**
 * CPU seconds used so far by each party on this machine, from /proc: the Temporal dev server, govflow (worker and API;
 * with --split both processes), PostgreSQL (every postgres process) and this load generator (the bench's client and
 * the minimal workflow's worker). On two shared cores throughput is bounded by their sum, so this says where it goes.
 */
type Cpu = Record<'temporal' | 'govflow' | 'postgres' | 'bench', number>;
const TICK = 100; // USER_HZ on Linux
const devPid = (JSON.parse(readFileSync(path.join(dataDir, 'temporal-dev.pid'), 'utf8')) as { pid: number }).pid;
function cpuNow(): Cpu {
  const stat = (pid: number | string) => {
    try {
      return readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      return ''; // gone since it was listed
    }
  };
  const seconds = (st: string) => {
    const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
    return st ? (Number(f[11]) + Number(f[12])) / TICK : 0; // utime, stime
  };
  const postgres = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(stat)
    .filter((st) => st.includes('(postgres)'))
    .reduce((sum, st) => sum + seconds(st), 0);
  const self = process.cpuUsage();
  return {
    temporal: seconds(stat(devPid)),
    govflow: seconds(stat(worker.child.pid!)) + (apiProcess ? seconds(stat(apiProcess.child.pid!)) : 0),
    postgres,
    bench: (self.user + self.system) / 1e6,
  };
}

async function throughput(name: string, fn: (key: string) => Promise<void>, n: number, concurrency: number) {
  const keys = Array.from({ length: n }, (_, i) => `${name}-${i}-${randomUUID().slice(0, 6)}`);
  let done = 0;
  const before = cpuNow();
  const t0 = performance.now();
  await pool(keys, concurrency, async (k) => {
    await fn(k);
    done++;
  });
  const seconds = (performance.now() - t0) / 1000;
  const after = cpuNow();
  const cpuMsPerReview = Object.fromEntries(Object.keys(after).map((k) => [k, ((after[k as keyof Cpu] - before[k as keyof Cpu]) * 1000) / Math.max(done, 1)])) as Cpu;
  return { name, done, seconds, perSecond: done / seconds, cpuMsPerReview };
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/** One vote's latency on a fresh process: through govflow's API, or on the minimal workflow (`minimal`). */
async function voteLatency(concurrency: number, votesPerClient: number, minimal = false) {
  const samples: number[] = [];
  await pool(Array.from({ length: concurrency }, (_, i) => i), concurrency, async (c) => {
    for (let i = 0; i < votesPerClient && Date.now() < DEADLINE; i++) {
      const key = `lat-${concurrency}-${c}-${i}-${randomUUID().slice(0, 6)}`;
      if (minimal) {
        const h = await client.workflow.start('minimalReview', { taskQueue: MINIMAL_QUEUE, workflowId: `minimal/${key}`, args: [Object.keys(ROLES)] });
        const t0 = performance.now();
        await h.executeUpdate(minimalVoteUpdate, { args: [{ role: 'technical_lead', verdict: 'approve' }] });
        samples.push(performance.now() - t0);
        await h.terminate('latency sample taken');
        continue;
      }
      await post('/architecture-reviews', tokens.requester!, { businessKey: key, title: 'latency', trigger: 'new_system_design', systemDescription: 'x' });
      const t0 = performance.now();
      await post(`/architecture-reviews/${key}/votes`, tokens.technical_lead!, { role: 'technical_lead', rulings });
      samples.push(performance.now() - t0);
    }
  });
  samples.sort((a, b) => a - b);
  return { concurrency, n: samples.length, p50: pct(samples, 50), p99: pct(samples, 99) };
}

/** Resident memory of the worker's process (with --split, the worker alone), from /proc. */
function workerRss(): number {
  const status = readFileSync(`/proc/${worker.child.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

async function memoryPerOpen(n: number) {
  const before = workerRss();
  const keys = Array.from({ length: n }, (_, i) => `open-${n}-${i}-${randomUUID().slice(0, 6)}`);
  await pool(keys, 50, async (k) => {
    await client.workflow.start('architectureReview', { taskQueue: config.TEMPORAL_TASK_QUEUE, workflowId: `architecture-review/${k}`, args: [input(k)] });
  });
  // Wait until the worker has run (and cached) the first task of every one of them.
  const ids = keys.map((k) => `architecture-review/${k}`);
  let open = 0;
  while ((open = await db.process.count({ where: { workflowId: { in: ids } } })) < n && Date.now() < DEADLINE) {
    await new Promise((r) => setTimeout(r, 1000));
  }
  const after = workerRss();
  // Divide by what is really open: a run cut short by the deadline must not flatter the figure.
  return { open, rssMiB: after / 2 ** 20, perProcessKiB: (after - before) / 1024 / Math.max(open, 1) };
}

try {
  await throughput('warmup', viaClient, 20, 10);
  await throughput('warmup', viaMinimal, 20, 10);
  const minimal = await throughput('minimal', viaMinimal, N, 50);
  const bare = await throughput('client', viaClient, N, 50);
  const viaHttp = await throughput('api', viaApi, N, 50);
  const latencies = [];
  for (const c of [1, 10, 50]) {
    const votes = Math.max(5, Math.ceil(200 / c));
    latencies.push({ ...(await voteLatency(c, votes)), minimal: await voteLatency(c, votes, true) });
  }
  const memory = [];
  for (const n of OPEN) memory.push(await memoryPerOpen(n));

  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const topology = values.split ? 'worker and API in two processes' : 'worker and API in one process';
  console.log(`\n## End to end (${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} × ${cpu}, Node ${process.version}, Temporal CLI dev server, PostgreSQL 15, ${topology})\n`);
  const label = { minimal: 'minimal workflow (the limit)', client: "govflow's workflow, bare Temporal client", api: 'govflow through the API' } as Record<string, string>;
  console.log('| path | reviews completed | seconds | reviews/s | × minimal |\n|---|---|---|---|---|');
  for (const r of [minimal, bare, viaHttp]) console.log(`| ${label[r.name]} | ${r.done} | ${r.seconds.toFixed(1)} | ${r.perSecond.toFixed(1)} | ${(r.perSecond / minimal.perSecond).toFixed(2)} |`);
  console.log('\nCPU milliseconds per review, by party (the sum bounds throughput on shared cores):\n');
  console.log('| path | Temporal dev server | govflow | PostgreSQL | load generator | total |\n|---|---|---|---|---|---|');
  for (const r of [minimal, bare, viaHttp]) {
    const c = r.cpuMsPerReview;
    console.log(`| ${label[r.name]} | ${c.temporal.toFixed(1)} | ${c.govflow.toFixed(1)} | ${c.postgres.toFixed(1)} | ${c.bench.toFixed(1)} | ${(c.temporal + c.govflow + c.postgres + c.bench).toFixed(1)} |`);
  }
  console.log(`\nThrough the API: **${(viaHttp.perSecond / minimal.perSecond).toFixed(2)}×** the minimal workflow's throughput (target ≥ 0.8×); ${((viaHttp.perSecond / bare.perSecond) * 100).toFixed(0)}% of the bare client's.\n`);
  console.log('| concurrent clients | votes | API p50 ms | API p99 ms | minimal p50 ms | minimal p99 ms | p99 × minimal |\n|---|---|---|---|---|---|---|');
  for (const l of latencies) console.log(`| ${l.concurrency} | ${l.n} | ${l.p50.toFixed(1)} | ${l.p99.toFixed(1)} | ${l.minimal.p50.toFixed(1)} | ${l.minimal.p99.toFixed(1)} | ${(l.p99 / l.minimal.p99).toFixed(2)} |`);
  console.log(`\n| open reviews | ${values.split ? 'worker' : 'govflow (worker + API)'} process RSS MiB | KiB per open review |\n|---|---|---|`);
  for (const m of memory) console.log(`| ${m.open} | ${m.rssMiB.toFixed(0)} | ${m.perProcessKiB.toFixed(1)} |`);
} catch (err) {
  console.error(`bench failed: ${(err as Error).stack}\ncause: ${String((err as { cause?: unknown }).cause)}\n--- worker output (tail) ---\n${worker.output()}${apiProcess ? `\n--- API output (tail) ---\n${apiProcess.output()}` : ''}`);
  process.exitCode = 1;
} finally {
  minimalWorker.shutdown();
  await minimalRun;
  await apiProcess?.kill('SIGTERM');
  await worker.kill('SIGTERM');
  await db.$disconnect();
  await temporal.client.close();
  await dev.stop();
  await scratch.drop();
  rmSync(dataDir, { recursive: true, force: true });
}
