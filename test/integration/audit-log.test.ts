import { createPublicKey, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit, chainHash, GENESIS_HASH, type AuditInput } from '../../activities/audit-log.js';
import { proveConsistency, proveInclusion, receiptFor, sealAll, sealPending, treeHeadBody, verifyAuditLog } from '../../activities/transparency-log.js';
import { verifyConsistency, verifyInclusion } from '../../domain/transparency/merkle.js';
import { entryLeafHash, verifyStatement, type ReceiptBody } from '../../domain/transparency/statements.js';
import type { Db } from '../../platform/database.js';
import { SigningKeys } from '../../platform/signing-keys.js';
import { privateDb } from '../support/db.js';

// Its own database and key: these tests edit and delete audit rows and rotate the key.
let db: Db;
let drop: () => Promise<void>;
let keys: SigningKeys;
let dataDir: string;
beforeAll(async () => {
  ({ db, drop } = await privateDb());
  dataDir = mkdtempSync(path.join(tmpdir(), 'govflow-keys-'));
  keys = SigningKeys.fromConfig(db, { DATA_DIR: dataDir });
});
afterAll(async () => {
  await drop?.();
});

const entry = (wf: string, n: number, extra: Partial<AuditInput> = {}): AuditInput => ({
  eventKey: `${wf}#${n}`,
  workflowId: wf,
  runId: 'run-1',
  actor: 'sam',
  actorKind: 'person',
  role: 'security_architect',
  action: 'voted',
  details: { n, justification: `because ${n}`, evidence: [`sha256:${'ab'.repeat(32)}`, 'https://wiki.example.com/adr/42'] },
  policyVersion: '1.0.0+abc',
  occurredAt: new Date(Date.UTC(2026, 11, 1, 9, n)),
  ...extra,
});
const append = (entries: AuditInput[]) => db.$transaction((tx) => appendAudit(tx, entries));

/** Inserts entries as the hash chain wrote them before the transparency log (the rows a migrated database holds). */
async function appendLegacyChain(wf: string, count: number): Promise<void> {
  const last = await db.auditEntry.findFirst({ where: { hash: { not: null } }, orderBy: { seq: 'desc' } });
  let prevHash = last?.hash ?? GENESIS_HASH;
  for (let n = 1; n <= count; n++) {
    const { runId: _run, identity: _id, ...e } = entry(wf, n, { runId: null });
    const hash = chainHash(prevHash, e);
    await db.auditEntry.create({ data: { ...e, details: e.details as object, prevHash, hash } });
    prevHash = hash;
  }
}

describe('the audit log as a transparency log', () => {
  it('folds the legacy chain into the tree without losing an entry, and seals new entries after it', async () => {
    const legacy = `legacy-${randomUUID()}`;
    await appendLegacyChain(legacy, 5);
    const wf = `new-${randomUUID()}`;
    await append([1, 2, 3].map((n) => entry(wf, n)));
    await keys.current(); // the first use of a key announces it in the log: one more entry
    const before = await db.auditEntry.count();
    const head = await sealAll(db, keys);
    expect(head?.treeSize).toBe(before);
    const legacyRows = await db.auditEntry.findMany({ where: { workflowId: legacy }, orderBy: { seq: 'asc' } });
    // In write order, each with its chain hash kept and a leaf hash computed from the same content.
    const indexes = legacyRows.map((r) => Number(r.leafIndex));
    expect(indexes).toEqual([...indexes].sort((a, b) => a - b));
    expect(legacyRows.every((r) => r.hash !== null && r.leafHash !== null)).toBe(true);
    expect(await verifyAuditLog(db)).toMatchObject({ ok: true, entries: before, unsealed: 0, firstBroken: null, treeHead: { treeSize: before } });

    // An edit of a legacy entry is caught by its chain hash, as it always was.
    const second = legacyRows[1]!;
    await db.$executeRaw`UPDATE "AuditEntry" SET details = '{"n": 99}' WHERE seq = ${second.seq}`;
    expect((await verifyAuditLog(db)).firstBroken).toMatchObject({ seq: second.seq.toString(), reason: expect.stringContaining('edited') });
    await db.$executeRaw`UPDATE "AuditEntry" SET details = ${JSON.stringify(second.details)}::jsonb WHERE seq = ${second.seq}`;
    expect((await verifyAuditLog(db)).ok).toBe(true);
  });

  it('names an edited entry, a deleted one and deleted newest entries, against the signed tree head', async () => {
    const wf = `tamper-${randomUUID()}`;
    await append([1, 2, 3, 4].map((n) => entry(wf, n)));
    await sealAll(db, keys);
    const rows = await db.auditEntry.findMany({ where: { workflowId: wf }, orderBy: { leafIndex: 'asc' } });

    await db.$executeRaw`UPDATE "AuditEntry" SET actor = 'mallory' WHERE seq = ${rows[1]!.seq}`;
    expect((await verifyAuditLog(db)).firstBroken).toMatchObject({ eventKey: rows[1]!.eventKey, reason: expect.stringContaining('edited') });
    await db.$executeRaw`UPDATE "AuditEntry" SET actor = 'sam' WHERE seq = ${rows[1]!.seq}`;

    const [newest] = await db.$queryRaw<{ max: bigint }[]>`SELECT max("leafIndex") AS max FROM "AuditEntry"`;
    expect(newest?.max).toBe(rows[3]!.leafIndex);
    // The newest entries deleted: nothing after them is left to break a link, but the tree head counts them.
    await db.$executeRaw`DELETE FROM "AuditEntry" WHERE seq IN (${rows[2]!.seq}, ${rows[3]!.seq})`;
    const truncated = await verifyAuditLog(db);
    expect(truncated.ok).toBe(false);
    expect(truncated.firstBroken).toMatchObject({ seq: null, reason: expect.stringContaining('the newest entries were deleted') });

    // A deletion in the middle: the next leaf's index shows the gap.
    await append([5].map((n) => entry(wf, n)));
    await db.$executeRaw`DELETE FROM "AuditEntry" WHERE seq = ${rows[0]!.seq}`;
    expect((await verifyAuditLog(db)).firstBroken).toMatchObject({ eventKey: rows[1]!.eventKey, reason: expect.stringContaining('missing') });
    // Put everything back as it was, so the later tests start from a sound log.
    await db.auditEntry.createMany({ data: [rows[0]!, rows[2]!, rows[3]!].map((r) => ({ ...r, details: r.details as object })) });
    expect((await verifyAuditLog(db)).ok).toBe(true);
  });

  it('appends from concurrent writers without a lock while sealers race: every entry sealed exactly once', async () => {
    const wf = `concurrent-${randomUUID()}`;
    const before = await db.auditEntry.count();
    await Promise.all([
      ...Array.from({ length: 30 }, (_, i) => append([entry(wf, i)])),
      ...Array.from({ length: 4 }, () => sealPending(db, keys, 7)),
    ]);
    await append([entry(wf, 3)]); // a retry of an entry already written: skipped
    await sealAll(db, keys);
    const rows = await db.auditEntry.findMany({ where: { workflowId: wf } });
    expect(rows).toHaveLength(30);
    const all = await db.auditEntry.findMany({ orderBy: { leafIndex: 'asc' }, select: { leafIndex: true } });
    expect(all.map((r) => Number(r.leafIndex))).toEqual(Array.from({ length: before + 30 }, (_, i) => i));
    expect(await verifyAuditLog(db)).toMatchObject({ ok: true, unsealed: 0 });
  });

  it('proves inclusion and consistency in ways anyone can check with the public key alone', async () => {
    const wf = `proofs-${randomUUID()}`;
    await append([1, 2].map((n) => entry(wf, n)));
    const first = (await sealAll(db, keys))!;
    await append([3, 4, 5].map((n) => entry(wf, n)));
    const second = (await sealAll(db, keys))!;
    const publicKey = createPublicKey((await keys.current()).publicKeyPem);

    for (const head of [first, second]) {
      const { signature, ...body } = head;
      expect(verifyStatement('tree-head', body, signature, publicKey)).toBe(true);
      expect(verifyStatement('tree-head', { ...body, treeSize: body.treeSize - 1 }, signature, publicKey)).toBe(false);
    }
    const proof = await proveInclusion(db, `${wf}#2`, first.treeSize);
    expect(proof.leafHash).toBe(entryLeafHash(entry(wf, 2)));
    expect(verifyInclusion(proof.leafIndex, first.treeSize, proof.leafHash, proof.path, first.rootHash)).toBe(true);
    const latest = await proveInclusion(db, `${wf}#2`);
    expect(verifyInclusion(latest.leafIndex, second.treeSize, latest.leafHash, latest.path, second.rootHash)).toBe(true);

    const consistency = await proveConsistency(db, first.treeSize, second.treeSize);
    expect(verifyConsistency(first.treeSize, second.treeSize, first.rootHash, second.rootHash, consistency.path)).toBe(true);
    await expect(proveInclusion(db, 'no-such-entry')).rejects.toMatchObject({ code: 'NotFound' });
  });

  it('issues receipts that verify, and keeps old tree heads valid across a key rotation recorded in the log', async () => {
    const wf = `receipts-${randomUUID()}`;
    await append([entry(wf, 1)]);
    const receipt = (await receiptFor(db, keys, `${wf}#1`))!;
    const { signature, ...body } = receipt;
    const oldKey = await keys.current();
    expect(verifyStatement('receipt', body, signature, createPublicKey(oldKey.publicKeyPem))).toBe(true);
    expect(receipt).toMatchObject<Partial<ReceiptBody>>({
      workflowId: wf,
      runId: 'run-1',
      eventSeq: 1,
      actor: 'sam',
      role: 'security_architect',
      evidenceDigests: [`sha256:${'ab'.repeat(32)}`],
      leafHash: entryLeafHash(entry(wf, 1)),
      keyId: oldKey.keyId,
    });
    expect(receipt.justificationDigest).toMatch(/^[0-9a-f]{64}$/);
    // Deterministic: asked again, the same receipt.
    expect(await receiptFor(db, keys, `${wf}#1`)).toEqual(receipt);
    const sealedBefore = (await sealAll(db, keys))!;

    const newKey = await keys.rotate('ada');
    expect(newKey.keyId).not.toBe(oldKey.keyId);
    expect(readdirSync(dataDir).filter((f) => f.endsWith('.retired.pem'))).toHaveLength(1);
    await append([entry(wf, 2)]);
    const sealedAfter = (await sealAll(db, keys))!;
    expect(sealedAfter.keyId).toBe(newKey.keyId);
    const history = await db.signingKey.findMany({ orderBy: { activatedAt: 'asc' } });
    expect(history.map((k) => [k.keyId, k.retiredAt !== null])).toEqual([
      [oldKey.keyId, true],
      [newKey.keyId, false],
    ]);
    const announced = await db.auditEntry.findMany({ where: { action: 'signing_key_activated' }, orderBy: { seq: 'asc' } });
    expect(announced.map((e) => (e.details as { keyId: string }).keyId)).toEqual([oldKey.keyId, newKey.keyId]);
    expect(announced.at(-1)).toMatchObject({ actor: 'ada', role: 'admin' });
    // The old head still verifies with the old key, and the new tree extends it.
    const old = await db.treeHead.findUniqueOrThrow({ where: { treeSize: BigInt(sealedBefore.treeSize) } });
    expect(verifyStatement('tree-head', treeHeadBody(old), old.signature, createPublicKey(oldKey.publicKeyPem))).toBe(true);
    const consistency = await proveConsistency(db, sealedBefore.treeSize);
    expect(verifyConsistency(sealedBefore.treeSize, sealedAfter.treeSize, sealedBefore.rootHash, sealedAfter.rootHash, consistency.path)).toBe(true);
    expect((await verifyAuditLog(db)).ok).toBe(true);
  });
});
