import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../../activities/transparency-log.js';
import { describeDbError, isPermanentDbError } from '../../activities/db-errors.js';
import { recordProcessSnapshot, type ProcessSnapshot } from '../../activities/process-projection.js';
import { safeString } from '../../domain/text.js';
import type { Db } from '../../platform/database.js';
import { privateDb } from '../support/db.js';

// Its own database: the log tests (audit-log.test.ts) edit and delete rows; this file's writes stay apart from theirs.
let db: Db;
let drop: () => Promise<void>;
beforeAll(async () => {
  ({ db, drop } = await privateDb());
});
afterAll(async () => {
  await drop?.();
});

function snapshot(workflowId: string, stateVersion: number, seqs: number[]): ProcessSnapshot {
  return {
    workflowId,
    state: {
      workflowId,
      kind: 'architecture_review',
      businessKey: workflowId,
      title: 't',
      requester: 'rita',
      stage: stateVersion > 2 ? 'closed' : 'in_review',
      outcome: stateVersion > 2 ? 'approved' : null,
      policyVersion: '1.0.0+abc',
      pendingRoles: [],
      slaDueAt: null,
      events: [],
      notices: [],
    },
    completed: stateVersion > 2,
    stateVersion,
    events: seqs.map((seq) => ({ seq, at: new Date(Date.UTC(2026, 0, 1, 0, seq)).toISOString(), actor: 'tom', actorKind: 'person', role: 'technical_lead', action: 'voted', details: { seq, nested: { b: 1, a: [2, 3] } } })),
    decisions: seqs.map((seq) => ({ eventKey: String(seq), round: 1, actor: 'tom', actorKind: 'person', role: 'technical_lead', verdict: 'approve', decidedAt: new Date(Date.UTC(2026, 0, 1)).toISOString() })),
    notices: [{ seq: 100 + stateVersion, kind: 'info', recipients: ['rita'], message: `v${stateVersion}` }],
  };
}

describe('process projection', () => {
  it('writes each event once however often a snapshot is retried, and never lets an old snapshot win', async () => {
    const id = `proj-${randomUUID()}`;
    await recordProcessSnapshot(db, snapshot(id, 1, [1, 2]));
    await recordProcessSnapshot(db, snapshot(id, 1, [1, 2])); // a retried activity
    await recordProcessSnapshot(db, snapshot(id, 3, [3]));
    await recordProcessSnapshot(db, snapshot(id, 2, [])); // a late retry of an older write
    const row = await db.process.findUniqueOrThrow({ where: { workflowId: id } });
    expect(row.stateVersion).toBe(3);
    expect(row.outcome).toBe('approved');
    expect(await db.decision.count({ where: { workflowId: id } })).toBe(3);
    expect(await db.auditEntry.count({ where: { workflowId: id } })).toBe(3);
    expect(await db.notification.count({ where: { workflowId: id } })).toBe(3);
  });

  it('reads back each column as the snapshot held it: dates in UTC, arrays, JSON and absent values', async () => {
    const id = `cols-${randomUUID()}`;
    const s = snapshot(id, 3, [1]);
    Object.assign(s.state, { slaDueAt: '2026-03-29T01:30:00.000Z', pendingRoles: ['security_architect', 'requester'], pendingActors: ['sam'], riskTier: 'high' });
    s.decisions[0] = { ...s.decisions[0]!, criteria: { security: 'approve', cost: null }, conditions: ['encrypt at rest'], evidence: ['ev-1'], decidedAt: '2026-03-29T02:15:00.123Z' };
    await recordProcessSnapshot(db, s, 'run-1');
    const row = await db.process.findUniqueOrThrow({ where: { workflowId: id } });
    expect(row).toMatchObject({ slaDueAt: new Date('2026-03-29T01:30:00.000Z'), pendingRoles: ['security_architect', 'requester'], pendingActors: ['sam'], openRoles: ['security_architect'], seatedActors: [], riskTier: 'high', outcome: 'approved' });
    expect(row.state).toEqual(s.state);
    expect(row.completedAt).toBeInstanceOf(Date);
    const decision = await db.decision.findFirstOrThrow({ where: { workflowId: id } });
    expect(decision).toMatchObject({ criteria: { security: 'approve', cost: null }, conditions: ['encrypt at rest'], evidence: ['ev-1'], justification: null, revisesId: null, decidedAt: new Date('2026-03-29T02:15:00.123Z') });
    const entry = await db.auditEntry.findFirstOrThrow({ where: { workflowId: id } });
    expect(entry).toMatchObject({ runId: 'run-1', role: 'technical_lead', issuer: null, occurredAt: new Date(s.events[0]!.at) });
  });

  it('classifies a NUL byte (as processes started before the API refused it hold) as permanent, naming the SQLSTATE', async () => {
    const s = snapshot(`nul/${randomUUID()}`, 1, [1]);
    s.events[0]!.details = { note: 'poisoned\u0000' };
    const err = await recordProcessSnapshot(db, s).then(() => null, (e: unknown) => e);
    expect(isPermanentDbError(err)).toBe(true);
    expect(describeDbError(err)).toMatch(/^22(021|P05): /);
    expect(await db.process.count({ where: { workflowId: s.workflowId } })).toBe(0); // one transaction: nothing half-written
  });

  it('keeps the audit log verifiable when details carry a __proto__ key, which JSON storage drops', async () => {
    const s = snapshot(`proto/${randomUUID()}`, 1, [1]);
    s.events[0]!.details = JSON.parse('{"input":{"__proto__":{"polluted":true},"kept":1}}') as Record<string, unknown>;
    await recordProcessSnapshot(db, s);
    expect((await db.auditEntry.findFirstOrThrow({ where: { workflowId: s.workflowId } })).details).toEqual({ input: { kept: 1 } });
    expect((await verifyAuditLog(db)).ok).toBe(true);
  });

  it('records every string the API schema admits, in each column and in JSON', async () => {
    const admitted = fc.string({ unit: 'binary', maxLength: 60 }).filter((t) => safeString().safeParse(t).success);
    await fc.assert(
      fc.asyncProperty(admitted, async (text) => {
        const wf = `safe-text/${randomUUID()}`;
        const s = snapshot(wf, 1, [1]);
        s.state.title = text;
        s.events[0]!.details = { [text]: text };
        s.decisions[0]!.justification = text;
        s.notices[0]!.message = text;
        await recordProcessSnapshot(db, s);
        const row = await db.process.findUniqueOrThrow({ where: { workflowId: wf } });
        expect(row.title).toBe(text);
        // A __proto__ key is the one a Json column cannot hold (the test above); zod's records drop it before the API does anything.
        expect((await db.auditEntry.findFirstOrThrow({ where: { workflowId: wf } })).details).toEqual(text === '__proto__' ? {} : { [text]: text });
        expect((await db.decision.findFirstOrThrow({ where: { workflowId: wf } })).justification).toBe(text);
      }),
      { numRuns: 40, examples: [['__proto__']] },
    );
    expect((await verifyAuditLog(db)).ok).toBe(true);
  });
});

