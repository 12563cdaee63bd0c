/**
 * Audit appends per second with 1, 2 and 4 writer processes on one PostgreSQL, each writer as a worker writes a
 * vote's entry (one transaction per entry, `--concurrency` transactions in flight per process), for three designs
 * in the same run:
 *   insert  the limit: the same row inserted with nothing else (no hash, no lock);
 *   log     govflow's append (activities/audit-log.ts: the leaf hash, no lock), with the sealer running beside it;
 *   chain   the design before the transparency log: one advisory lock, the newest hash read, the chained row written.
 * Also the sealer's rate: leaves sealed and signed per second on a backlog. A scratch database on 127.0.0.1:5432.
 *   npx tsx bench/audit-append.ts [--seconds 10] [--concurrency 8]
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { spawn } from 'node:child_process';
import { appendAudit, chainHash, GENESIS_HASH, type AuditInput } from '../activities/audit-log.js';
import { runSealer, sealAll } from '../activities/transparency-log.js';
import { createDb, type Db } from '../platform/database.js';
import { SigningKeys } from '../platform/signing-keys.js';
import { createScratchDatabase } from '../test/support/db.js';

type Mode = 'insert' | 'log' | 'chain';
const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '8' },
    child: { type: 'string' },
    db: { type: 'string' },
  },
});
const SECONDS = Number(values.seconds);
const CONCURRENCY = Number(values.concurrency);

// What a vote records: its rulings on the default policy's four criteria, a justification, the evidence it cites.
const vote = (): AuditInput => ({
  eventKey: `architecture-review/BENCH-${randomUUID()}#3`,
  workflowId: `architecture-review/BENCH-${randomUUID().slice(0, 8)}`,
  runId: randomUUID(),
  actor: 'sam',
  actorKind: 'person',
  role: 'security_architect',
  action: 'voted',
  details: {
    round: 1,
    verdict: 'approve',
    rulings: { architectural_principle_compliance: 'approve', scalability_validation: 'approve', security_assessment_approval: 'approve', maintainability_review_pass: 'approve' },
    justification: 'threat model reviewed; residual risks accepted by the owner',
    evidence: [`sha256:${'ab'.repeat(32)}`],
  },
  policyVersion: '1.0.0+cb77d236b101',
  occurredAt: new Date(),
});

const CHAIN_LOCK = 4_711_001;
type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];
const APPEND: Record<Mode, (tx: Tx, e: AuditInput) => Promise<unknown>> = {
  insert: (tx, { identity: _identity, ...e }) => tx.auditEntry.create({ data: { ...e, details: e.details as object } }),
  log: (tx, e) => appendAudit(tx, [e]),
  chain: async (tx, { identity: _identity, ...e }) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${CHAIN_LOCK})`;
    const last = await tx.auditEntry.findFirst({ where: { hash: { not: null } }, orderBy: { seq: 'desc' }, select: { hash: true } });
    const prevHash = last?.hash ?? GENESIS_HASH;
    await tx.auditEntry.create({ data: { ...e, details: e.details as object, prevHash, hash: chainHash(prevHash, e) } });
  },
};

/** One writer process: CONCURRENCY loops of one-entry transactions for SECONDS; prints its count and latencies. */
async function writer(mode: Mode, url: string): Promise<void> {
  const db = createDb(url, CONCURRENCY);
  const latencies: number[] = [];
  const until = Date.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < until) {
        const t = performance.now();
        await db.$transaction((tx) => APPEND[mode](tx, vote()));
        latencies.push(performance.now() - t);
      }
    }),
  );
  await db.$disconnect();
  process.stdout.write(JSON.stringify({ count: latencies.length, latencies }));
}

function spawnWriter(mode: Mode, url: string): Promise<{ count: number; latencies: number[] }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', mode, '--db', url, '--seconds', String(SECONDS), '--concurrency', String(CONCURRENCY)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  return new Promise((resolve, reject) => child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as { count: number; latencies: number[] }) : reject(new Error(`writer exited ${code}`)))));
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
};

if (values.child) {
  await writer(values.child as Mode, values.db!);
} else {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'govflow-bench-audit-'));
  const rows: string[] = [];
  let sealerRate = '';
  let sealerLag = '';
  for (const mode of ['insert', 'log', 'chain'] as const) {
    for (const writers of [1, 2, 4]) {
      // A fresh database per cell: every cell starts from an empty table.
      const scratch = await createScratchDatabase('govflow_bench_audit');
      const db = createDb(scratch.url, 4);
      const keys = SigningKeys.fromConfig(db, { DATA_DIR: dataDir });
      // The log's cells run with the sealer beside them, as the worker runs it.
      const sealer = mode === 'log' ? runSealer(db, keys, { intervalMs: 1000, onError: (err) => console.error(err) }) : null;
      const results = await Promise.all(Array.from({ length: writers }, () => spawnWriter(mode, scratch.url)));
      await sealer?.stop();
      const count = results.reduce((a, r) => a + r.count, 0);
      const latencies = results.flatMap((r) => r.latencies);
      rows.push(`| ${mode} | ${writers} | ${count} | ${(count / SECONDS).toFixed(0)} | ${quantile(latencies, 0.5).toFixed(1)} | ${quantile(latencies, 0.99).toFixed(1)} |`);
      console.error(rows.at(-1));
      if (mode === 'log' && writers === 4) sealerLag = `${await db.auditEntry.count({ where: { leafIndex: null } })}`;
      if (mode === 'insert' && writers === 4) {
        // The sealer on a backlog: every row of this cell is unsealed (and, like entries from the chain, has no leaf hash yet).
        const t = performance.now();
        await sealAll(db, keys);
        const s = (performance.now() - t) / 1000;
        sealerRate = `Sealer on a backlog: ${count} entries given their leaf hash, sealed into the tree and signed in ${s.toFixed(1)} s (${(count / s).toFixed(0)} leaves/s, batches of 2,000, one process).`;
      }
      await db.$disconnect();
      await scratch.drop();
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
  console.log(`${SECONDS} s per cell, ${CONCURRENCY} transactions in flight per writer process, one entry per transaction.\n`);
  console.log('| design | writer processes | appends | appends/s | p50 ms | p99 ms |\n|---|---|---|---|---|---|');
  console.log(rows.join('\n'));
  console.log(`\n${sealerRate} The log's cells ran with the sealer every second beside them; at the end of the 4-writer cell ${sealerLag} entries awaited the next seal.`);
}
