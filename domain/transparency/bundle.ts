import { createHash, type KeyObject } from 'node:crypto';
import { canonicalJson } from '../canonical-json.js';
import { verifyInclusion } from './merkle.js';
import {
  entryLeafHash,
  EVIDENCE_DIGEST,
  keyIdOf,
  LOG_ORIGIN,
  publicKeyFromPem,
  receiptBody,
  verifyStatement,
  type AuditLeafContent,
  type DecisionReceipt,
  type SignedTreeHead,
} from './statements.js';

/**
 * An audit bundle: a folder that proves, to someone with nothing but it and govflow's public key, what the log
 * holds about a process or a period. Its format (README, "Audit bundles") is this module; `verifyBundle` is the
 * whole check, so a third party can port it. Everything is signed through the manifest: it lists every file with
 * its SHA-256 and is itself signed; entries prove their place under the bundle's signed tree head.
 */

export const BUNDLE_FORMAT = 'govflow-audit-bundle/1';

export const BUNDLE_FILES = {
  manifest: 'manifest.json',
  keys: 'keys.json',
  treeHead: 'tree-head.json',
  entries: 'entries.jsonl',
  entriesCsv: 'entries.csv',
  proofs: 'proofs.jsonl',
  receipts: 'receipts.jsonl',
  readme: 'README.md',
} as const;
export const evidencePath = (digest: string): string => `evidence/sha256/${digest.slice('sha256:'.length)}`;

/** An entry as the bundle holds it: the leaf's content, with its sequence number and place in the tree. */
export type BundleEntry = AuditLeafContent & { seq: string; leafIndex: number; leafHash: string; occurredAt: string };
export interface BundleProof {
  eventKey: string;
  leafIndex: number;
  path: string[];
}
export interface BundleKey {
  keyId: string;
  publicKey: string;
  activatedAt: string;
  retiredAt: string | null;
}
export type BundleScope = { process: string; processes: string[] } | { from: string | null; to: string | null };
export interface ManifestBody {
  format: typeof BUNDLE_FORMAT;
  origin: string;
  createdAt: string;
  scope: BundleScope;
  treeHead: SignedTreeHead;
  /** Evidence the entries cite that the store did not hold when the bundle was made. */
  unavailableEvidence: string[];
  /** Every other file of the bundle, by path, with its SHA-256 (hex) and size. */
  files: { path: string; sha256: string; size: number }[];
  keyId: string;
}
export type Manifest = ManifestBody & { signature: string };

export const sha256OfBytes = (content: Uint8Array): string => createHash('sha256').update(content).digest('hex');

/** The entry's fields as the leaf hash covers them (the bundle's own bookkeeping taken off). */
export function leafContentOfBundleEntry(e: BundleEntry): AuditLeafContent {
  const { seq: _seq, leafIndex: _leafIndex, leafHash: _leafHash, ...content } = e;
  return content;
}

/** The evidence digests an entry cites (the same rule its receipt follows). */
export function citedEvidence(details: unknown): string[] {
  const evidence = (details as { evidence?: unknown } | null)?.evidence;
  return Array.isArray(evidence) ? evidence.filter((e): e is string => typeof e === 'string' && EVIDENCE_DIGEST.test(e)) : [];
}

const CSV_COLUMNS = ['seq', 'leafIndex', 'occurredAt', 'eventKey', 'workflowId', 'runId', 'actor', 'actorKind', 'role', 'action', 'policyVersion', 'details', 'leafHash'] as const;
const csvCell = (v: unknown): string => {
  const text = v === null || v === undefined ? '' : typeof v === 'string' ? v : typeof v === 'number' ? String(v) : JSON.stringify(v);
  // RFC 4180 quoting, and a leading quote mark for cells a spreadsheet would run as a formula.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) || safe !== text ? `"${safe.replace(/"/g, '""')}"` : safe;
};
/** The entries for a spreadsheet (RFC 4180); the JSON Lines file is the one that is verified. */
export function entriesCsv(entries: readonly BundleEntry[]): string {
  const rows = entries.map((e) => CSV_COLUMNS.map((c) => csvCell(e[c as keyof BundleEntry])).join(','));
  return `${[CSV_COLUMNS.join(','), ...rows].join('\r\n')}\r\n`;
}

/** Reads a bundle's files: from a folder (the CLI) or from memory (tests, a port). */
export interface BundleReader {
  /** Every file's path, relative, with `/` separators. */
  paths(): string[];
  read(path: string): Buffer | undefined;
}

export interface BundleVerification {
  ok: boolean;
  /** The first item that does not hold, and why; null when the bundle verifies. */
  firstBroken: { item: string; reason: string } | null;
  checked: { entries: number; receipts: number; proofs: number; evidence: number; files: number };
  treeHead: SignedTreeHead | null;
  warnings: string[];
}

class Broken extends Error {
  constructor(
    readonly item: string,
    readonly reason: string,
  ) {
    super(`${item}: ${reason}`);
  }
}

function json<T>(reader: BundleReader, path: string): T {
  const bytes = reader.read(path);
  if (!bytes) throw new Broken(path, 'missing');
  try {
    return JSON.parse(bytes.toString('utf8')) as T;
  } catch {
    throw new Broken(path, 'not valid JSON');
  }
}

function jsonLines<T>(reader: BundleReader, path: string): T[] {
  const bytes = reader.read(path);
  if (!bytes) throw new Broken(path, 'missing');
  const lines = bytes.toString('utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map((line, i) => {
    try {
      return JSON.parse(line) as T;
    } catch {
      throw new Broken(`${path} line ${i + 1}`, 'not valid JSON');
    }
  });
}

/**
 * Checks a bundle offline. With `trustedKey` (govflow's public key, PEM, obtained apart from the bundle) the manifest
 * must be signed by it; without, the bundle's own key is taken on trust and a warning says so. The order makes the
 * first broken item the most precise one: an edited entry is named by its line before its file's digest is.
 */
export function verifyBundle(reader: BundleReader, trustedKey?: string): BundleVerification {
  const checked = { entries: 0, receipts: 0, proofs: 0, evidence: 0, files: 0 };
  const warnings: string[] = [];
  let treeHead: SignedTreeHead | null = null;
  try {
    const manifest = json<Manifest>(reader, BUNDLE_FILES.manifest);
    if (manifest.format !== BUNDLE_FORMAT) throw new Broken(BUNDLE_FILES.manifest, `format "${String(manifest.format)}" is not ${BUNDLE_FORMAT}`);
    const { signature, ...body } = manifest;
    const keysDoc = json<{ items: BundleKey[] }>(reader, BUNDLE_FILES.keys);
    const keys = new Map<string, KeyObject>();
    for (const [i, k] of (keysDoc.items ?? []).entries()) {
      let key: KeyObject;
      try {
        key = publicKeyFromPem(k.publicKey);
      } catch {
        throw new Broken(`${BUNDLE_FILES.keys} item ${i + 1}`, 'not a public key in PEM');
      }
      if (keyIdOf(key) !== k.keyId) throw new Broken(`${BUNDLE_FILES.keys} item ${i + 1}`, `the key's ID is ${keyIdOf(key)}, not ${k.keyId}`);
      keys.set(k.keyId, key);
    }
    let manifestKey: KeyObject | undefined;
    if (trustedKey) {
      const trusted = publicKeyFromPem(trustedKey);
      if (keyIdOf(trusted) !== manifest.keyId) throw new Broken(BUNDLE_FILES.manifest, `signed by key ${manifest.keyId}, not by the public key given (${keyIdOf(trusted)})`);
      manifestKey = trusted;
    } else {
      manifestKey = keys.get(manifest.keyId);
      warnings.push(`no public key given: the manifest was checked against the bundle's own key ${manifest.keyId}; pass --public-key (from GET /audit/keys) to pin it`);
    }
    if (!manifestKey) throw new Broken(BUNDLE_FILES.manifest, `signed by key ${manifest.keyId}, which ${BUNDLE_FILES.keys} does not hold`);
    if (!verifyStatement('bundle-manifest', body, signature, manifestKey)) throw new Broken(BUNDLE_FILES.manifest, 'its signature does not verify (the manifest was changed)');

    const listed = new Map(manifest.files.map((f) => [f.path, f]));
    const matched = new Set<string>();
    const digestMatches = (path: string) => {
      const entry = listed.get(path);
      if (!entry) throw new Broken(path, 'not listed in the manifest');
      const bytes = reader.read(path);
      if (!bytes) throw new Broken(path, 'listed in the manifest but missing');
      if (sha256OfBytes(bytes) !== entry.sha256) throw new Broken(path, 'its SHA-256 does not match the manifest (the file was changed)');
      matched.add(path);
      checked.files++;
    };
    digestMatches(BUNDLE_FILES.keys);

    treeHead = json<SignedTreeHead>(reader, BUNDLE_FILES.treeHead);
    const head = treeHead;
    const { signature: headSignature, ...headBody } = head;
    const headKey = keys.get(head.keyId);
    if (!headKey) throw new Broken(BUNDLE_FILES.treeHead, `signed by key ${head.keyId}, which ${BUNDLE_FILES.keys} does not hold`);
    if (head.origin !== LOG_ORIGIN || !verifyStatement('tree-head', headBody, headSignature, headKey)) throw new Broken(BUNDLE_FILES.treeHead, 'its signature does not verify (the tree head was changed)');
    if (canonicalJson(head) !== canonicalJson(manifest.treeHead)) throw new Broken(BUNDLE_FILES.treeHead, 'it is not the tree head the manifest names');
    digestMatches(BUNDLE_FILES.treeHead);

    const entries = jsonLines<BundleEntry>(reader, BUNDLE_FILES.entries);
    const byKey = new Map<string, BundleEntry>();
    for (const [i, e] of entries.entries()) {
      const item = `${BUNDLE_FILES.entries} line ${i + 1} (${String(e.eventKey)})`;
      if (byKey.has(e.eventKey)) throw new Broken(item, 'the entry appears twice');
      if (entryLeafHash(leafContentOfBundleEntry(e)) !== e.leafHash) throw new Broken(item, 'its content does not match its leaf hash (the entry was changed)');
      if (!Number.isInteger(e.leafIndex) || e.leafIndex < 0 || e.leafIndex >= head.treeSize) throw new Broken(item, `leaf ${e.leafIndex} is outside the tree head of size ${head.treeSize}`);
      byKey.set(e.eventKey, e);
      checked.entries++;
    }

    const proven = new Set<string>();
    for (const [i, p] of jsonLines<BundleProof>(reader, BUNDLE_FILES.proofs).entries()) {
      const item = `${BUNDLE_FILES.proofs} line ${i + 1} (${String(p.eventKey)})`;
      const e = byKey.get(p.eventKey);
      if (!e) throw new Broken(BUNDLE_FILES.entries, `the entry ${String(p.eventKey)} is missing (${BUNDLE_FILES.proofs} line ${i + 1} proves it)`);
      if (p.leafIndex !== e.leafIndex || !Array.isArray(p.path) || !verifyInclusion(e.leafIndex, head.treeSize, e.leafHash, p.path, head.rootHash)) {
        throw new Broken(item, `it does not lead from the entry's leaf to the root of the signed tree head of size ${head.treeSize}`);
      }
      proven.add(p.eventKey);
      checked.proofs++;
    }
    const unproven = entries.find((e) => !proven.has(e.eventKey));
    if (unproven) throw new Broken(`${BUNDLE_FILES.entries} (${unproven.eventKey})`, `no inclusion proof in ${BUNDLE_FILES.proofs}`);

    const receipted = new Set<string>();
    for (const [i, r] of jsonLines<DecisionReceipt>(reader, BUNDLE_FILES.receipts).entries()) {
      const item = `${BUNDLE_FILES.receipts} line ${i + 1} (${String(r.eventKey)})`;
      const { signature: receiptSignature, ...receipt } = r;
      const key = keys.get(r.keyId);
      if (!key) throw new Broken(item, `signed by key ${r.keyId}, which ${BUNDLE_FILES.keys} does not hold`);
      if (!verifyStatement('receipt', receipt, receiptSignature, key)) throw new Broken(item, 'its signature does not verify (the receipt was changed)');
      const e = byKey.get(r.eventKey);
      if (!e) throw new Broken(BUNDLE_FILES.entries, `the entry ${String(r.eventKey)} is missing (${BUNDLE_FILES.receipts} line ${i + 1} is its receipt)`);
      if (canonicalJson(receiptBody(e, r.policyContentHash, r.keyId)) !== canonicalJson(receipt)) throw new Broken(item, 'it does not describe the entry it names');
      receipted.add(r.eventKey);
      checked.receipts++;
    }
    const unreceipted = entries.find((e) => !receipted.has(e.eventKey));
    if (unreceipted) throw new Broken(`${BUNDLE_FILES.entries} (${unreceipted.eventKey})`, `no receipt in ${BUNDLE_FILES.receipts}`);
    // Only now the files' digests: an entry taken out is named above by the proof and receipt that miss it.
    for (const file of [BUNDLE_FILES.entries, BUNDLE_FILES.proofs, BUNDLE_FILES.receipts]) digestMatches(file);

    const unavailable = new Set(manifest.unavailableEvidence);
    for (const digest of new Set(entries.flatMap((e) => citedEvidence(e.details)))) {
      const path = evidencePath(digest);
      const bytes = reader.read(path);
      if (!bytes) {
        if (!unavailable.has(digest)) throw new Broken(path, 'the entries cite this evidence, and it is missing from the bundle');
        warnings.push(`${digest}: the store did not hold this evidence when the bundle was made`);
        continue;
      }
      if (`sha256:${sha256OfBytes(bytes)}` !== digest) throw new Broken(path, 'its content does not match its digest (the evidence was changed)');
      digestMatches(path);
      checked.evidence++;
    }

    // The rest (the CSV, the reports, the README) are covered by their digests; nothing may be added or removed.
    const present = new Set(reader.paths());
    for (const path of [...present].sort()) if (path !== BUNDLE_FILES.manifest && !listed.has(path)) throw new Broken(path, 'not listed in the manifest (a file was added)');
    for (const path of listed.keys()) if (!present.has(path)) throw new Broken(path, 'listed in the manifest but missing');
    for (const path of listed.keys()) if (!matched.has(path)) digestMatches(path);
    return { ok: true, firstBroken: null, checked, treeHead, warnings };
  } catch (err) {
    if (!(err instanceof Broken)) throw err;
    return { ok: false, firstBroken: { item: err.item, reason: err.reason }, checked, treeHead, warnings };
  }
}
