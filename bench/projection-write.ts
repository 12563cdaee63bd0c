/**
 * CPU per projection write (recordProcessSnapshot), the worker's largest cost per review: a process written six
 * times as its state grows, two events and a decision per write, a notice on every third. A scratch database on
 * 127.0.0.1:5432. Prints Node CPU ms per write (user+system of this process) and wall ms per write.
 *
 *   npx tsx bench/projection-write.ts [--processes 200]
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { recordProcessSnapshot, type ProcessSnapshot } from '../activities/process-projection.js';
import { createDb } from '../platform/database.js';
import { createScratchDatabase } from '../test/support/db.js';

const { values } = parseArgs({ options: { processes: { type: 'string', default: '200' } } });
const processes = Number(values.processes);
const WRITES = 6;

function snapshot(workflowId: string, version: number): ProcessSnapshot {
  const events = Array.from({ length: version * 2 }, (_, i) => ({
    seq: i + 1,
    at: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
    actor: `person-${i % 4}`,
    actorKind: 'person' as const,
    role: 'technical_lead',
    action: 'voted' as const,
    details: { verdict: 'approve', round: 1, criteria: { security: 'approve', cost: 'approve', fit: 'approve' }, justification: 'Fits the target architecture and the cost case holds.' },
  }));
  return {
    workflowId,
    state: {
      workflowId,
      kind: 'architecture_review',
      businessKey: workflowId,
      title: 'Adopt a managed event streaming platform',
      requester: 'rita',
      stage: version === WRITES ? 'closed' : 'in_review',
      outcome: version === WRITES ? 'approved' : null,
      policyVersion: '1.0.0+abc',
      pendingRoles: version === WRITES ? [] : ['technical_lead', 'security_architect'],
      slaDueAt: new Date(Date.UTC(2026, 0, 8)).toISOString(),
      events,
      notices: [],
    },
    completed: version === WRITES,
    stateVersion: version,
    events: events.slice(-2),
    decisions: [{ eventKey: String(version), round: 1, actor: `person-${version % 4}`, actorKind: 'person', role: 'technical_lead', verdict: 'approve', decidedAt: new Date(Date.UTC(2026, 0, 1)).toISOString() }],
    notices: version % 3 === 1 ? [{ seq: 100 + version, kind: 'info', recipients: ['technical_lead'], message: `stage ${version}` }] : [],
  };
}

const scratch = await createScratchDatabase('govflow_bench_projection');
const db = createDb(scratch.url, 4);
try {
  const ids = Array.from({ length: processes }, () => `bench-${randomUUID()}`);
  for (const id of ids.slice(0, 10)) for (let v = 1; v <= WRITES; v++) await recordProcessSnapshot(db, snapshot(id, v)); // warm-up
  const work = ids.slice(10);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  // Four processes written at once, as a worker's activity slots would.
  for (let i = 0; i < work.length; i += 4) {
    await Promise.all(work.slice(i, i + 4).map(async (id) => { for (let v = 1; v <= WRITES; v++) await recordProcessSnapshot(db, snapshot(id, v)); }));
  }
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const writes = work.length * WRITES;
  console.log(JSON.stringify({ writes, cpuMsPerWrite: +((cpu.user + cpu.system) / 1000 / writes).toFixed(2), wallMsPerWrite: +(wall / writes).toFixed(2) }));
} finally {
  await db.$disconnect();
  await scratch.drop();
}
