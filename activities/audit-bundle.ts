import { GovflowError } from '../domain/errors.js';
import { MerkleTree } from '../domain/transparency/merkle.js';
import {
  BUNDLE_FILES,
  BUNDLE_FORMAT,
  citedEvidence,
  entriesCsv,
  evidencePath,
  sha256OfBytes,
  type BundleEntry,
  type BundleProof,
  type BundleScope,
  type Manifest,
  type ManifestBody,
} from '../domain/transparency/bundle.js';
import { LOG_ORIGIN, type DecisionReceipt } from '../domain/transparency/statements.js';
import type { Db } from '../platform/database.js';
import type { EvidenceStore } from '../platform/evidence-store.js';
import type { SigningKeys } from '../platform/signing-keys.js';
import { bundleReport } from '../web/pages/bundle-report.js';
import { leafContentOf, type AuditRow } from './audit-log.js';
import { leavesUpTo, sealAll, signedReceipt } from './transparency-log.js';

export interface BundleFile {
  path: string;
  content: Buffer;
}
export type BundleRequest = { process: string } | { from?: Date; to?: Date };

const MAX_ENTRIES = 100_000;

/**
 * Builds an audit bundle (format: domain/transparency/bundle.ts): seals what is pending, then proves every entry in
 * scope against the newest signed tree head. A process's bundle holds the processes it started or referred to
 * (children, committee items), found through its recorded state.
 */
export async function buildBundle(db: Db, keys: SigningKeys, evidence: EvidenceStore, request: BundleRequest, now = new Date()): Promise<BundleFile[]> {
  const head = await sealAll(db, keys);
  if (!head) throw new GovflowError('Conflict', 'the audit log is empty: there is nothing to bundle yet');
  const signer = await keys.current();

  let scope: BundleScope;
  let rows: AuditRow[];
  const sealed = { leafIndex: { lt: BigInt(head.treeSize) } };
  if ('process' in request) {
    const processes = await relatedProcesses(db, request.process);
    scope = { process: request.process, processes };
    rows = await db.auditEntry.findMany({ where: { workflowId: { in: processes }, ...sealed }, orderBy: { leafIndex: 'asc' }, take: MAX_ENTRIES + 1 });
    if (rows.length === 0) throw new GovflowError('NotFound', `no audit entry names the process ${request.process}; give its workflow ID, e.g. architecture-review/ARCH-2026-001`);
  } else {
    scope = { from: request.from?.toISOString() ?? null, to: request.to?.toISOString() ?? null };
    const occurredAt = { ...(request.from ? { gte: request.from } : {}), ...(request.to ? { lt: request.to } : {}) };
    rows = await db.auditEntry.findMany({ where: { occurredAt, ...sealed }, orderBy: { leafIndex: 'asc' }, take: MAX_ENTRIES + 1 });
  }
  if (rows.length > MAX_ENTRIES) throw new GovflowError('ValidationError', `more than ${MAX_ENTRIES} entries are in scope: bundle a shorter period`, [{ path: 'from', message: 'too long a period' }]);

  const tree = new MerkleTree(await leavesUpTo(db, head.treeSize));
  if (tree.root() !== head.rootHash) throw new GovflowError('Conflict', 'the stored leaves do not give the root of the newest signed tree head: run GET /audit/verify');

  const entries: BundleEntry[] = rows.map((row) => ({ ...leafContentOf(row), seq: row.seq.toString(), leafIndex: Number(row.leafIndex), leafHash: row.leafHash!, occurredAt: row.occurredAt.toISOString() }));
  const proofs: BundleProof[] = entries.map((e) => ({ eventKey: e.eventKey, leafIndex: e.leafIndex, path: tree.proof(e.leafIndex) }));
  const versions = [...new Set(rows.map((r) => r.policyVersion).filter((v): v is string => v !== null))];
  const contentHashes = new Map((await db.policySnapshot.findMany({ where: { id: { in: versions } }, select: { id: true, contentHash: true } })).map((p) => [p.id, p.contentHash]));
  const receipts: DecisionReceipt[] = rows.map((row) => signedReceipt(signer, row, row.policyVersion ? (contentHashes.get(row.policyVersion) ?? null) : null));

  const files: BundleFile[] = [];
  const add = (path: string, content: string | Buffer) => files.push({ path, content: typeof content === 'string' ? Buffer.from(content, 'utf8') : content });
  const jsonl = (items: unknown[]) => items.map((i) => `${JSON.stringify(i)}\n`).join('');
  const keyRows = await db.signingKey.findMany({ orderBy: { activatedAt: 'asc' } });
  add(BUNDLE_FILES.keys, `${JSON.stringify({ items: keyRows.map((k) => ({ keyId: k.keyId, publicKey: k.publicKey, activatedAt: k.activatedAt.toISOString(), retiredAt: k.retiredAt?.toISOString() ?? null })) }, null, 2)}\n`);
  add(BUNDLE_FILES.treeHead, `${JSON.stringify(head, null, 2)}\n`);
  add(BUNDLE_FILES.entries, jsonl(entries));
  add(BUNDLE_FILES.entriesCsv, entriesCsv(entries));
  add(BUNDLE_FILES.proofs, jsonl(proofs));
  add(BUNDLE_FILES.receipts, jsonl(receipts));

  const unavailableEvidence: string[] = [];
  for (const digest of new Set(entries.flatMap((e) => citedEvidence(e.details)))) {
    const content = await evidence.get(digest);
    if (content) add(evidencePath(digest), content);
    else unavailableEvidence.push(digest);
  }

  const byProcess = new Map<string, BundleEntry[]>();
  for (const e of entries) if (e.workflowId !== null) byProcess.set(e.workflowId, [...(byProcess.get(e.workflowId) ?? []), e]);
  const records = new Map((await db.process.findMany({ where: { workflowId: { in: [...byProcess.keys()] } } })).map((p) => [p.workflowId, p]));
  for (const [workflowId, processEntries] of byProcess) {
    const p = records.get(workflowId);
    add(
      `reports/${reportName(workflowId)}.html`,
      bundleReport(
        {
          workflowId,
          kind: p?.kind ?? null,
          title: p?.title ?? null,
          businessKey: p?.businessKey ?? null,
          requester: p?.requester ?? null,
          stage: p?.stage ?? null,
          outcome: p?.outcome ?? null,
          policyVersion: p?.policyVersion ?? null,
          createdAt: p?.createdAt.toISOString() ?? null,
          completedAt: p?.completedAt?.toISOString() ?? null,
        },
        processEntries,
        head,
        now.toISOString(),
      ),
    );
  }
  add(BUNDLE_FILES.readme, BUNDLE_README);

  const body: ManifestBody = {
    format: BUNDLE_FORMAT,
    origin: LOG_ORIGIN,
    createdAt: now.toISOString(),
    scope,
    treeHead: head,
    unavailableEvidence,
    files: files.map((f) => ({ path: f.path, sha256: sha256OfBytes(f.content), size: f.content.length })),
    keyId: signer.keyId,
  };
  const manifest: Manifest = { ...body, signature: signer.sign('bundle-manifest', body) };
  return [{ path: BUNDLE_FILES.manifest, content: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8') }, ...files];
}

/** A file name from a workflow ID (`architecture-review/ARCH-1` → `architecture-review_ARCH-1`). */
const reportName = (workflowId: string) => workflowId.replace(/[^A-Za-z0-9._-]+/g, '_');

/**
 * The process and, transitively, every process whose workflow ID its recorded state names (the children an
 * engagement launched, the committee item a review referred to).
 */
async function relatedProcesses(db: Db, workflowId: string): Promise<string[]> {
  const found = new Set([workflowId]);
  let frontier = [workflowId];
  while (frontier.length > 0) {
    const rows = await db.process.findMany({ where: { workflowId: { in: frontier } }, select: { state: true } });
    const named = new Set(rows.flatMap((r) => stringsIn(r.state)).filter((s) => s.includes('/') && !found.has(s)));
    const known = await db.process.findMany({ where: { workflowId: { in: [...named] } }, select: { workflowId: true } });
    frontier = known.map((k) => k.workflowId);
    for (const id of frontier) found.add(id);
  }
  return [...found];
}

function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}

const BUNDLE_README = `# govflow audit bundle (${BUNDLE_FORMAT})

This folder proves what govflow's audit log holds about a process or a period. Check it with nothing but the
folder and govflow's public key (GET /audit/keys on the govflow API, obtained apart from this bundle):

    npm run govflow -- verify <this folder> --public-key govflow.pem

Files: manifest.json (every other file with its SHA-256, signed), keys.json (the signing keys' history),
tree-head.json (the signed tree head every proof leads to), entries.jsonl and entries.csv (the audit entries),
proofs.jsonl (an RFC 6962 inclusion proof per entry), receipts.jsonl (a signed decision receipt per entry),
evidence/sha256/<hex> (the evidence the entries cite), reports/*.html (a readable record per process).
The format and the checks are described in govflow's README, section "Audit bundles".
`;
