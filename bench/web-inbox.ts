/**
 * Server time of the web inbox (`GET /app/`) for a reviewer with --open processes waiting on their role, on a
 * scratch database (PostgreSQL on 127.0.0.1:5432). The inbox reads only the record, so no Temporal server runs:
 * the app gets a client it never calls. Times each request from the API's own response hook (the server's time,
 * not the loopback trip) after a warm-up; prints a markdown line for BENCHMARKS.md.
 *   npx tsx bench/web-inbox.ts [--open 1000] [--requests 200]
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { parseArgs } from 'node:util';
import type { Client } from '@temporalio/client';
import { createApp } from '../api/app.js';
import { PolicyRegistry } from '../api/policy-registry.js';
import { defaultPolicyDir, loadPolicySet } from '../domain/policy/load.js';
import { loadConfig } from '../platform/config.js';
import { createDb } from '../platform/database.js';
import { createLogger } from '../platform/logger.js';
import { createScratchDatabase } from '../test/support/db.js';
import { openSession } from '../web/sessions.js';
import { SigningKeys } from '../platform/signing-keys.js';
import { evidenceStoreFor } from '../platform/evidence-store.js';

const { values } = parseArgs({ options: { open: { type: 'string', default: '1000' }, requests: { type: 'string', default: '200' } } });
const OPEN = Number(values.open);
const REQUESTS = Number(values.requests);

const scratch = await createScratchDatabase('govflow_bench_web');
const db = createDb(scratch.url, 5);
try {
  await db.principal.create({ data: { id: 'tom', name: 'tom', roles: ['technical_lead'] } });
  const now = Date.now();
  await db.process.createMany({
    data: Array.from({ length: OPEN }, (_, i) => ({
      workflowId: `architecture-review/BENCH-${i}`, kind: 'architecture_review', businessKey: `BENCH-${i}`, title: `Review ${i}`, requester: 'rita',
      stage: 'in_review', policyVersion: 'bench', pendingRoles: ['technical_lead', 'security_architect'], openRoles: ['technical_lead', 'security_architect'],
      slaDueAt: new Date(now + (i - OPEN / 10) * 3_600_000), state: {},
    })),
  });
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', API_RATE_LIMIT_PER_MINUTE: '1000000' });
  const { app } = createApp({ config, db, temporal: {} as Client, policies: new PolicyRegistry(db, await loadPolicySet(defaultPolicyDir())), log: createLogger('silent'), keys: SigningKeys.fromConfig(db, config), evidence: evidenceStoreFor(config) });
  const times: number[] = [];
  const server = createServer((req, res) => {
    const start = process.hrtime.bigint();
    const inbox = req.url === '/app/';
    res.once('finish', () => inbox && times.push(Number(process.hrtime.bigint() - start) / 1e6));
    app(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/app/`;
  const { token } = (await openSession(db, 'tom', 'login_link'))!;
  const get = async () => {
    const res = await fetch(url, { headers: { cookie: `govflow_session=${token}` } });
    if (res.status !== 200) throw new Error(`inbox answered ${res.status}`);
    return res.text();
  };
  const page = await get();
  for (let i = 0; i < 20; i++) await get(); // warm-up
  times.length = 0;
  for (let i = 0; i < REQUESTS; i++) await get();
  server.close();
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(1);
  const items = (page.match(/<li class="card">/g) ?? []).length;
  console.log(`| ${new Date().toISOString().slice(0, 10)} | ${os.cpus().length} × ${os.cpus()[0]?.model.trim()} | ${OPEN} open, ${items} listed | ${REQUESTS} sequential | p50 ${q(0.5)} ms | p95 ${q(0.95)} ms | p99 ${q(0.99)} ms | ${(Buffer.byteLength(page) / 1024).toFixed(0)} kB |`);
} finally {
  await db.$disconnect();
  await scratch.drop();
}
