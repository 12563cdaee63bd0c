import { createPublicKey } from 'node:crypto';
import { GovflowError } from '../domain/errors.js';
import { appendLeaves, consistencyProof, frontierRoot, EMPTY_FRONTIER, MerkleTree, type Frontier } from '../domain/transparency/merkle.js';
import { entryLeafHash, LOG_ORIGIN, receiptBody, verifyStatement, type DecisionReceipt, type SignedTreeHead, type Signer, type TreeHeadBody } from '../domain/transparency/statements.js';
import type { Db } from '../platform/database.js';
import type { SigningKeys } from '../platform/signing-keys.js';
import { runEvery } from '../platform/run-every.js';
import { chainHash, GENESIS_HASH, leafContentOf, type AuditRow } from './audit-log.js';

/**
 * The audit log as a transparency log (after RFC 6962/9162): entries are appended without a lock (audit-log.ts); one
 * sealer at a time takes the entries not yet in the tree, in write order, gives them the next leaf indexes and signs
 * the new tree head. Decisions never wait for a seal; proofs and receipts are computed from what the log holds.
 */

// Only one sealer extends the tree; the others find the lock taken and skip that round.
const SEAL_LOCK = 4_711_002;

type TreeHeadRow = { treeSize: bigint; rootHash: string; issuedAt: Date; keyId: string; signature: string };

export const treeHeadBody = (h: TreeHeadRow): TreeHeadBody => ({
  origin: LOG_ORIGIN,
  treeSize: Number(h.treeSize),
  rootHash: h.rootHash,
  timestamp: h.issuedAt.toISOString(),
  keyId: h.keyId,
});
export const signedTreeHead = (h: TreeHeadRow): SignedTreeHead => ({ ...treeHeadBody(h), signature: h.signature });

/**
 * Seals up to `max` entries into the tree and signs the new head; answers it, or null when nothing was pending or
 * another sealer holds the lock. One transaction: a crash leaves the tree exactly as the last head says.
 */
export async function sealPending(db: Db, keys: SigningKeys, max = 2000): Promise<SignedTreeHead | null> {
  const signer = await keys.current();
  return db.$transaction(
    async (tx) => {
      const [lock] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${SEAL_LOCK}) AS locked`;
      if (!lock?.locked) return null;
      const pending = await tx.auditEntry.findMany({ where: { leafIndex: null }, orderBy: { seq: 'asc' }, take: max });
      if (pending.length === 0) return null;
      const head = await tx.treeHead.findFirst({ orderBy: { treeSize: 'desc' } });
      const start = head ? Number(head.treeSize) : 0;
      // Entries from the hash chain get their leaf hash at their first seal.
      const leaves = pending.map((row) => row.leafHash ?? entryLeafHash(leafContentOf(row)));
      const seqs = pending.map((row) => row.seq.toString());
      const indexes = pending.map((_, i) => String(start + i));
      await tx.$executeRaw`
        UPDATE "AuditEntry" AS a SET "leafIndex" = v.idx::bigint, "leafHash" = v.leaf
        FROM unnest(${seqs}::text[], ${indexes}::text[], ${leaves}::text[]) AS v(seq, idx, leaf)
        WHERE a.seq = v.seq::bigint`;
      const frontier = appendLeaves(head ? { size: start, nodes: head.frontier } : EMPTY_FRONTIER, leaves);
      const body: TreeHeadBody = { origin: LOG_ORIGIN, treeSize: frontier.size, rootHash: frontierRoot(frontier), timestamp: new Date().toISOString(), keyId: signer.keyId };
      const signature = signer.sign('tree-head', body);
      await tx.treeHead.create({
        data: { treeSize: BigInt(body.treeSize), rootHash: body.rootHash, issuedAt: new Date(body.timestamp), keyId: body.keyId, signature, frontier: frontier.nodes },
      });
      return { ...body, signature };
    },
    { timeout: 60_000 },
  );
}

/** Seals until nothing is pending (used at start-up, by tests and by the bundle export). */
export async function sealAll(db: Db, keys: SigningKeys): Promise<SignedTreeHead | null> {
  let last: SignedTreeHead | null = null;
  for (;;) {
    const head = await sealPending(db, keys);
    if (!head) return last ?? latestTreeHead(db);
    last = head;
  }
}

/** Seals every `intervalMs` until stopped; a failed round is logged and the next one tries again. */
export function runSealer(db: Db, keys: SigningKeys, opts: { intervalMs: number; onError: (err: unknown) => void }): { stop(): Promise<void> } {
  return runEvery(opts.intervalMs, () => sealAll(db, keys), opts.onError);
}

export async function latestTreeHead(db: Db, atMost?: number): Promise<SignedTreeHead | null> {
  const h = await db.treeHead.findFirst({ where: atMost === undefined ? {} : { treeSize: { lte: BigInt(atMost) } }, orderBy: { treeSize: 'desc' } });
  return h ? signedTreeHead(h) : null;
}

async function treeHeadOfSize(db: Db, size: number): Promise<SignedTreeHead> {
  const h = await db.treeHead.findUnique({ where: { treeSize: BigInt(size) } });
  if (!h) throw new GovflowError('NotFound', `no signed tree head has size ${size}; GET /audit/tree-heads lists them`);
  return signedTreeHead(h);
}

export async function leavesUpTo(db: Db, size: number): Promise<string[]> {
  const rows = await db.auditEntry.findMany({ where: { leafIndex: { lt: BigInt(size) } }, orderBy: { leafIndex: 'asc' }, select: { leafHash: true } });
  if (rows.length !== size) throw new GovflowError('Conflict', `the log holds ${rows.length} of the ${size} sealed entries: run GET /audit/verify`);
  return rows.map((r) => r.leafHash!);
}

export interface InclusionProof {
  eventKey: string;
  leafIndex: number;
  leafHash: string;
  treeHead: SignedTreeHead;
  /** The audit path, bottom up (RFC 9162 §2.1.3). */
  path: string[];
}

/** Proves an entry is in a signed tree head: by default the newest; `treeSize` picks an earlier one. */
export async function proveInclusion(db: Db, eventKey: string, treeSize?: number): Promise<InclusionProof> {
  const row = await db.auditEntry.findUnique({ where: { eventKey } });
  if (!row) throw new GovflowError('NotFound', `no audit entry has the key ${eventKey}`);
  if (row.leafIndex === null) throw new GovflowError('Conflict', `the entry ${eventKey} is not sealed yet; the sealer takes it within seconds, ask again`);
  const head = treeSize === undefined ? await latestTreeHead(db) : await treeHeadOfSize(db, treeSize);
  if (!head || BigInt(head.treeSize) <= row.leafIndex) {
    throw new GovflowError('Conflict', `the tree head of size ${head?.treeSize ?? 0} does not cover the entry ${eventKey} (leaf ${row.leafIndex})`);
  }
  const leaves = await leavesUpTo(db, head.treeSize);
  return { eventKey, leafIndex: Number(row.leafIndex), leafHash: row.leafHash!, treeHead: head, path: new MerkleTree(leaves).proof(Number(row.leafIndex)) };
}

export interface ConsistencyProof {
  first: SignedTreeHead;
  second: SignedTreeHead;
  path: string[];
}

/** Proves the tree of size `first` is a prefix of the tree of size `second` (by default the newest). */
export async function proveConsistency(db: Db, first: number, second?: number): Promise<ConsistencyProof> {
  const to = second === undefined ? await latestTreeHead(db) : await treeHeadOfSize(db, second);
  if (!to) throw new GovflowError('NotFound', 'no tree head has been signed yet');
  const from = await treeHeadOfSize(db, first);
  if (from.treeSize > to.treeSize) throw new GovflowError('ValidationError', `first (${first}) must not exceed second (${to.treeSize})`, [{ path: 'first', message: 'larger than second' }]);
  return { first: from, second: to, path: consistencyProof(from.treeSize, await leavesUpTo(db, to.treeSize)) };
}

/**
 * The signed receipt of an entry, from what the log holds (so it can be asked for again and again). Ed25519
 * signatures are deterministic: with the same key, the same receipt comes back byte for byte.
 */
export async function receiptFor(db: Db, keys: SigningKeys, eventKey: string): Promise<DecisionReceipt | null> {
  const row = await db.auditEntry.findUnique({ where: { eventKey } });
  return row ? receiptOf(db, keys, row) : null;
}

/** The signed receipt of an entry already read. */
export async function receiptOf(db: Db, keys: SigningKeys, row: AuditRow): Promise<DecisionReceipt> {
  return signedReceipt(await keys.current(), row, row.policyVersion ? await policyContentHash(db, row.policyVersion) : null);
}

// A policy snapshot never changes once stored, so its content hash is read once per version and database.
const contentHashes = new WeakMap<Db, Map<string, string>>();

async function policyContentHash(db: Db, version: string): Promise<string | null> {
  const known = contentHashes.get(db) ?? new Map<string, string>();
  contentHashes.set(db, known);
  const cached = known.get(version);
  if (cached !== undefined) return cached;
  const snapshot = await db.policySnapshot.findUnique({ where: { id: version }, select: { contentHash: true } });
  // A version not stored (yet) is asked again next time.
  if (snapshot) known.set(version, snapshot.contentHash);
  return snapshot?.contentHash ?? null;
}

export function signedReceipt(signer: Signer, row: AuditRow, policyContentHash: string | null): DecisionReceipt {
  const body = receiptBody({ ...leafContentOf(row), leafHash: row.leafHash ?? entryLeafHash(leafContentOf(row)) }, policyContentHash, signer.keyId);
  return { ...body, signature: signer.sign('receipt', body) };
}

export interface LogVerification {
  ok: boolean;
  entries: number;
  /** Entries not yet in a signed tree head (the sealer takes them within seconds). */
  unsealed: number;
  /** The newest signed tree head, against which the log was checked. */
  treeHead: { treeSize: number; rootHash: string; timestamp: string; keyId: string } | null;
  /** The first thing that does not match, with the reason. */
  firstBroken: { seq: string | null; eventKey: string | null; reason: string } | null;
}

/**
 * Walks the whole log: the legacy chain's links and hashes, every entry's leaf hash, the leaves in tree order, and
 * every signed tree head's root and signature against the leaves. An edited entry, a deleted one (anywhere, the
 * newest included once sealed), a reordering or a forged tree head is named.
 */
export async function verifyAuditLog(db: Db, batchSize = 1000): Promise<LogVerification> {
  const heads = await db.treeHead.findMany({ orderBy: { treeSize: 'asc' } });
  const keys = new Map((await db.signingKey.findMany()).map((k) => [k.keyId, createPublicKey(k.publicKey)]));
  const latest = heads.at(-1);
  const treeHead = latest ? { treeSize: Number(latest.treeSize), rootHash: latest.rootHash, timestamp: latest.issuedAt.toISOString(), keyId: latest.keyId } : null;
  let count = 0;
  const fail = (reason: string, row?: AuditRow): LogVerification => ({
    ok: false,
    entries: count,
    unsealed: 0,
    treeHead,
    firstBroken: { seq: row ? row.seq.toString() : null, eventKey: row?.eventKey ?? null, reason },
  });

  for (const h of heads) {
    const key = keys.get(h.keyId);
    if (!key) return fail(`the tree head of size ${h.treeSize} is signed by key ${h.keyId}, which is not in the key history`);
    if (!verifyStatement('tree-head', treeHeadBody(h), h.signature, key)) return fail(`the signature of the tree head of size ${h.treeSize} does not verify (it was altered)`);
  }

  // The legacy chain, in write order.
  let prevHash = GENESIS_HASH;
  let cursor: bigint | undefined;
  for (;;) {
    const batch = await db.auditEntry.findMany({ where: { hash: { not: null }, ...(cursor === undefined ? {} : { seq: { gt: cursor } }) }, orderBy: { seq: 'asc' }, take: batchSize });
    if (batch.length === 0) break;
    for (const row of batch) {
      if (row.prevHash !== prevHash) return fail('its previous-hash does not match the entry before it (an entry was deleted or reordered)', row);
      if (chainHash(prevHash, { ...leafContentOf(row), occurredAt: row.occurredAt }) !== row.hash) return fail('its content does not match its hash (the entry was edited)', row);
      prevHash = row.hash!;
    }
    cursor = batch.at(-1)!.seq;
  }

  // The tree: leaves 0..n-1 in order, each matching its content, every tree head's root along the way.
  let frontier: Frontier = EMPTY_FRONTIER;
  let headIndex = 0;
  let index = 0n;
  for (;;) {
    const batch = await db.auditEntry.findMany({ where: { leafIndex: { gte: index } }, orderBy: { leafIndex: 'asc' }, take: batchSize });
    if (batch.length === 0) break;
    for (const row of batch) {
      if (row.leafIndex !== index) return fail(`leaf ${index} of the tree is missing (an entry was deleted)`, row);
      if (entryLeafHash(leafContentOf(row)) !== row.leafHash) return fail('its content does not match its leaf hash (the entry was edited)', row);
      frontier = appendLeaves(frontier, [row.leafHash]);
      count++;
      index++;
      while (headIndex < heads.length && BigInt(frontier.size) === heads[headIndex]!.treeSize) {
        if (frontierRoot(frontier) !== heads[headIndex]!.rootHash) return fail(`the leaves up to ${frontier.size} do not give the root of the signed tree head of that size`, row);
        headIndex++;
      }
    }
  }
  if (latest && BigInt(count) < latest.treeSize) {
    return fail(`the signed tree head of ${latest.issuedAt.toISOString()} covers ${latest.treeSize} entries; the log holds ${count}: the newest entries were deleted`);
  }
  // Entries with a leaf hash the sealer has not reached, and chained entries from before the log (no leaf hash yet).
  const unsealed = await db.auditEntry.count({ where: { leafIndex: null } });
  const pending = await db.auditEntry.findMany({ where: { leafIndex: null, leafHash: { not: null } }, take: 10_000 });
  for (const row of pending) if (entryLeafHash(leafContentOf(row)) !== row.leafHash) return fail('its content does not match its leaf hash (the entry was edited)', row);
  return { ok: true, entries: count + unsealed, unsealed, treeHead, firstBroken: null };
}
