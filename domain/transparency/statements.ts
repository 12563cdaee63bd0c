import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from '../canonical-json.js';
import { leafHash } from './merkle.js';

/**
 * What govflow signs, and how a third party checks it with nothing but the public key: the content of an audit
 * entry (a leaf of the log), signed tree heads, decision receipts and bundle manifests. Each statement is signed as
 * `<type line>\n<canonical JSON>` with Ed25519, so a signature over one kind can never pass for another.
 */

export const LOG_ORIGIN = 'govflow audit log';

/** The fields of an audit entry that its leaf hash covers. */
export interface AuditLeafContent {
  eventKey: string;
  workflowId: string | null;
  /** Absent for entries recorded before runs were kept, and for administrative entries. */
  runId?: string | null;
  actor: string;
  actorKind: string;
  role: string | null;
  action: string;
  details: unknown;
  policyVersion: string | null;
  /** The OpenID issuer and subject, when the actor signed in through an identity provider. */
  identity?: { issuer: string; subject: string };
  occurredAt: Date | string;
}

/** The bytes a leaf hashes: canonical JSON of the entry, with absent fields left out (not null) for older entries. */
export function leafData(e: AuditLeafContent): string {
  const { runId, identity, ...rest } = e;
  return canonicalJson({
    ...rest,
    occurredAt: new Date(e.occurredAt).toISOString(),
    details: e.details ?? null,
    ...(runId ? { runId } : {}),
    ...(identity ? { identity } : {}),
  });
}

export const entryLeafHash = (e: AuditLeafContent): string => leafHash(leafData(e));

/** A key's ID: the first 16 bytes (hex) of SHA-256 over its raw 32-byte Ed25519 public key. */
export function keyIdOf(publicKey: KeyObject): string {
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
  return createHash('sha256').update(raw).digest('hex').slice(0, 32);
}

export const publicKeyPem = (key: KeyObject): string => key.export({ type: 'spki', format: 'pem' }).toString();
export const publicKeyFromPem = (pem: string): KeyObject => createPublicKey(pem);

/** A signer: the private key and its public half's ID. */
export interface Signer {
  keyId: string;
  publicKeyPem: string;
  sign(type: StatementType, body: object): string;
}

export type StatementType = 'tree-head' | 'receipt' | 'bundle-manifest';
const message = (type: StatementType, body: object) => Buffer.from(`govflow/${type}/v1\n${canonicalJson(body)}`, 'utf8');

export function signerFor(privateKey: KeyObject): Signer {
  const pub = createPublicKey(privateKey);
  return {
    keyId: keyIdOf(pub),
    publicKeyPem: publicKeyPem(pub),
    sign: (type, body) => sign(null, message(type, body), privateKey).toString('base64'),
  };
}

export function verifyStatement(type: StatementType, body: object, signature: string, publicKey: KeyObject): boolean {
  try {
    return verify(null, message(type, body), publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/** A signed tree head: the log's size and root at a moment, signed by the key named. */
export interface TreeHeadBody {
  origin: string;
  treeSize: number;
  rootHash: string;
  timestamp: string;
  keyId: string;
}
export interface SignedTreeHead extends TreeHeadBody {
  signature: string;
}

/**
 * A decision receipt: who did what in which process and run, under which rules and on what evidence, and the leaf
 * that carries it in the log. Signed by govflow; its inclusion in a signed tree head is proven separately (the log
 * seals in batches, so a decision never waits for it).
 */
export interface ReceiptBody {
  origin: string;
  eventKey: string;
  workflowId: string | null;
  runId: string | null;
  eventSeq: number | null;
  action: string;
  actor: string;
  actorKind: string;
  role: string | null;
  occurredAt: string;
  /** SHA-256 (hex) of the justification as given, or null when there was none. */
  justificationDigest: string | null;
  policyVersion: string | null;
  /** The pinned policy version's full content hash (SHA-256 over its canonical files). */
  policyContentHash: string | null;
  /** Uploaded evidence the decision cites, by content digest (`sha256:<hex>`). */
  evidenceDigests: string[];
  leafHash: string;
  keyId: string;
}
export interface DecisionReceipt extends ReceiptBody {
  signature: string;
}

export const sha256Hex = (text: string | Uint8Array): string => createHash('sha256').update(text).digest('hex');

/** The receipt of one audit entry, derived from what the log holds (so it can be issued again, identically). */
export function receiptBody(entry: AuditLeafContent & { leafHash: string }, policyContentHash: string | null, keyId: string): ReceiptBody {
  const details = (entry.details ?? {}) as Record<string, unknown>;
  const justification = typeof details.justification === 'string' ? details.justification : typeof details.reason === 'string' ? details.reason : null;
  const cited = Array.isArray(details.evidence) ? details.evidence.filter((e): e is string => typeof e === 'string') : [];
  const seq = Number(entry.eventKey.split('#').at(-1));
  return {
    origin: LOG_ORIGIN,
    eventKey: entry.eventKey,
    workflowId: entry.workflowId,
    runId: entry.runId ?? null,
    eventSeq: entry.workflowId && Number.isInteger(seq) ? seq : null,
    action: entry.action,
    actor: entry.actor,
    actorKind: entry.actorKind,
    role: entry.role,
    occurredAt: new Date(entry.occurredAt).toISOString(),
    justificationDigest: justification === null ? null : sha256Hex(justification),
    policyVersion: entry.policyVersion,
    policyContentHash,
    evidenceDigests: cited.filter((e) => EVIDENCE_DIGEST.test(e)),
    leafHash: entry.leafHash,
    keyId,
  };
}

/** How decisions cite uploaded evidence. */
export const EVIDENCE_DIGEST = /^sha256:[0-9a-f]{64}$/;
