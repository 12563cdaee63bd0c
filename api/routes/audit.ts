import { permittedRoles } from '../../domain/policy/access.js';
import { z } from 'zod';
import { safeString } from '../schemas/common.js';
import { randomUUID } from 'node:crypto';
import { appendAudit } from '../../activities/audit-log.js';
import { buildBundle } from '../../activities/audit-bundle.js';
import { latestTreeHead, proveConsistency, proveInclusion, receiptFor, signedTreeHead as treeHeadJson, verifyAuditLog } from '../../activities/transparency-log.js';
import { holdsAny } from '../../domain/policy/access.js';
import { GovflowError } from '../../domain/errors.js';
import { actorOf } from '../auth.js';
import type { ApiDeps } from '../process-routes.js';
import type { RouteRegistry } from '../route-registry.js';
import { auditPage, consistencyProof, decisionReceipt, inclusionProof, logVerification, signedTreeHead, signingKeys, treeHeadList } from '../schemas/responses.js';


const auditQuery = z
  .object({
    workflowId: safeString().max(300).optional(),
    actor: safeString().max(200).optional(),
    afterSeq: z.coerce.bigint().optional().describe('Return entries after this sequence number (paging)'),
    limit: z.coerce.number().int().min(1).max(1000).default(200),
  })
  .strict();

const toJson = (row: { seq: bigint; leafIndex: bigint | null; occurredAt: Date } & Record<string, unknown>) => ({
  ...row,
  seq: row.seq.toString(),
  leafIndex: row.leafIndex?.toString() ?? null,
  occurredAt: row.occurredAt.toISOString(),
});

const instant = z.union([z.iso.date(), z.iso.datetime({ offset: true })]).transform((v) => new Date(v));
const bundleQuery = z
  .object({
    process: safeString().min(1).max(300).optional().describe('A workflow ID, e.g. architecture-review/ARCH-2026-001: the process and those it started or referred to'),
    from: instant.optional().describe('Entries at or after this date or instant (ISO 8601)'),
    to: instant.optional().describe('Entries before this date or instant (ISO 8601)'),
  })
  .strict()
  .superRefine((q, ctx) => {
    if (q.process !== undefined && (q.from !== undefined || q.to !== undefined)) ctx.addIssue({ code: 'custom', path: ['process'], message: 'give a process or a period (from, to), not both' });
    if (q.from && q.to && q.from >= q.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
  });

const eventKeyParam = safeString().min(1).max(400);
const size = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export function registerAuditRoutes(registry: RouteRegistry, { db, policies, keys, evidence }: ApiDeps): void {
  const readers = permittedRoles(policies.current, 'audit', 'read');
  /** Audit readers see every entry's proof and receipt; anyone else only those of their own entries. */
  const mayReadEntry = async (actor: { id: string; roles: string[] }, eventKey: string) => {
    if (holdsAny(actor, readers)) return;
    const row = await db.auditEntry.findUnique({ where: { eventKey }, select: { actor: true } });
    if (!row) throw new GovflowError('NotFound', `no audit entry has the key ${eventKey}`);
    if (row.actor !== actor.id) throw new GovflowError('Forbidden', `only the actor of ${eventKey} or a holder of ${readers.join(', ')} may read its receipt and proof`);
  };
  registry.add({
    method: 'get',
    path: '/audit',
    summary: 'Audit entries, oldest first, filtered by process or actor',
    tag: 'Audit',
    roles: readers,
    query: auditQuery,
    response: auditPage,
    handler: async ({ query }) => {
      const rows = await db.auditEntry.findMany({
        where: {
          ...(query.workflowId ? { workflowId: query.workflowId } : {}),
          ...(query.actor ? { actor: query.actor } : {}),
          ...(query.afterSeq !== undefined ? { seq: { gt: query.afterSeq } } : {}),
        },
        orderBy: { seq: 'asc' },
        take: query.limit,
      });
      return { items: rows.map(toJson), nextAfterSeq: rows.length === query.limit ? rows.at(-1)!.seq.toString() : null };
    },
  });

  registry.add({
    method: 'get',
    path: '/audit/verify',
    summary: 'Verify the log: every entry against its leaf hash, the tree against every signed tree head, the legacy chain; names the first break',
    tag: 'Audit',
    roles: readers,
    response: logVerification,
    handler: () => verifyAuditLog(db),
  });

  registry.add({
    method: 'get',
    path: '/audit/export',
    summary: 'The whole audit log as JSON Lines, for auditors',
    tag: 'Audit',
    roles: readers,
    produces: { mediaType: 'application/x-ndjson', description: 'The audit log, oldest first: one audit entry (JSON) per line' },
    handler: async (_ctx, _req, res) => {
      res.status(200).type('application/x-ndjson').set('content-disposition', 'attachment; filename="govflow-audit.jsonl"');
      let cursor: bigint | undefined;
      for (;;) {
        const rows = await db.auditEntry.findMany({ where: cursor === undefined ? {} : { seq: { gt: cursor } }, orderBy: { seq: 'asc' }, take: 1000 });
        if (rows.length === 0) break;
        for (const row of rows) res.write(`${JSON.stringify(toJson(row))}\n`);
        cursor = rows.at(-1)!.seq;
      }
      res.end();
      return undefined;
    },
  });

  registry.add({
    method: 'get',
    path: '/audit/bundle',
    summary: 'An audit bundle of a process or a period, that anyone can verify offline (`govflow audit bundle` writes it to a folder)',
    tag: 'Audit',
    roles: readers,
    query: bundleQuery,
    produces: { mediaType: 'application/x-ndjson', description: 'The bundle\'s files, one per line: {"path", "content" (base64)}; manifest.json first. The format is in the README, "Audit bundles"' },
    handler: async ({ query }, _req, res) => {
      const files = await buildBundle(db, keys, evidence, query.process !== undefined ? { process: query.process } : { from: query.from, to: query.to });
      const actor = actorOf(res);
      const manifest = JSON.parse(files[0]!.content.toString('utf8')) as { treeHead: { treeSize: number }; scope: unknown };
      await db.$transaction((tx) =>
        appendAudit(tx, [
          { eventKey: `audit-bundle:${randomUUID()}`, workflowId: null, actor: actor.id, actorKind: actor.kind, role: null, action: 'audit_bundle_exported', details: { scope: manifest.scope, treeSize: manifest.treeHead.treeSize, files: files.length }, policyVersion: null, identity: actor.identity, occurredAt: new Date() },
        ]),
      );
      res.status(200).type('application/x-ndjson').set('content-disposition', 'attachment; filename="govflow-audit-bundle.jsonl"');
      for (const f of files) res.write(`${JSON.stringify({ path: f.path, content: f.content.toString('base64') })}\n`);
      res.end();
      return undefined;
    },
  });

  registry.add({
    method: 'get',
    path: '/audit/tree-head',
    summary: "The newest signed tree head (public: monitors keep them to detect a rewritten or truncated log)",
    tag: 'Audit',
    roles: 'public',
    response: signedTreeHead,
    handler: async () => {
      const head = await latestTreeHead(db);
      if (!head) throw new GovflowError('NotFound', 'no tree head has been signed yet (the worker seals every AUDIT_SEAL_INTERVAL_MS)');
      return head;
    },
  });

  registry.add({
    method: 'get',
    path: '/audit/tree-heads',
    summary: 'Signed tree heads, newest first (public)',
    tag: 'Audit',
    roles: 'public',
    query: z.object({ before: size.optional().describe('Tree heads smaller than this size (paging)'), limit: z.coerce.number().int().min(1).max(500).default(100) }).strict(),
    response: treeHeadList,
    handler: async ({ query }) => {
      const rows = await db.treeHead.findMany({ where: query.before === undefined ? {} : { treeSize: { lt: BigInt(query.before) } }, orderBy: { treeSize: 'desc' }, take: query.limit });
      return { items: rows.map(treeHeadJson), nextBefore: rows.length === query.limit ? Number(rows.at(-1)!.treeSize) : null };
    },
  });

  registry.add({
    method: 'get',
    path: '/audit/proofs/consistency',
    summary: 'Proof that the tree of size `first` is a prefix of the tree of size `second` (default: the newest) (public)',
    tag: 'Audit',
    roles: 'public',
    query: z.object({ first: size, second: size.optional() }).strict(),
    response: consistencyProof,
    handler: ({ query }) => proveConsistency(db, query.first, query.second),
  });

  registry.add({
    method: 'get',
    path: '/audit/proofs/inclusion',
    summary: 'Proof that an entry is in a signed tree head (default: the newest)',
    tag: 'Audit',
    roles: [],
    query: z.object({ eventKey: eventKeyParam, treeSize: size.optional() }).strict(),
    response: inclusionProof,
    handler: async ({ query }, _req, res) => {
      await mayReadEntry(actorOf(res), query.eventKey);
      return proveInclusion(db, query.eventKey, query.treeSize);
    },
  });

  registry.add({
    method: 'get',
    path: '/audit/receipts/:eventKey',
    summary: "An entry's signed decision receipt (the actor's own, or any for audit readers)",
    tag: 'Audit',
    roles: [],
    response: decisionReceipt,
    handler: async ({ params }, _req, res) => {
      const eventKey = eventKeyParam.parse(params.eventKey);
      await mayReadEntry(actorOf(res), eventKey);
      const receipt = await receiptFor(db, keys, eventKey);
      if (!receipt) throw new GovflowError('NotFound', `no audit entry has the key ${eventKey}`);
      return receipt;
    },
  });

  registry.add({
    method: 'get',
    path: '/audit/keys',
    summary: 'Every key that has signed tree heads, receipts or bundles, with when it was active (public)',
    tag: 'Audit',
    roles: 'public',
    response: signingKeys,
    handler: async () => {
      // Registers the key on a fresh install; a process whose key was retired still lists the history.
      await keys.current().catch(() => undefined);
      const rows = await db.signingKey.findMany({ orderBy: { activatedAt: 'asc' } });
      return { items: rows.map((k) => ({ keyId: k.keyId, publicKey: k.publicKey, activatedAt: k.activatedAt.toISOString(), retiredAt: k.retiredAt?.toISOString() ?? null })) };
    },
  });

  registry.add({
    method: 'post',
    path: '/audit/keys/rotate',
    summary: 'Replace the signing key (a file-kept key; a configured one is rotated in AUDIT_SIGNING_KEY); old signatures stay valid',
    tag: 'Audit',
    roles: ['admin'],
    response: signingKeys.shape.items.element,
    handler: async (_ctx, _req, res) => {
      const signer = await keys.rotate(actorOf(res).id);
      const row = await db.signingKey.findUniqueOrThrow({ where: { keyId: signer.keyId } });
      return { keyId: row.keyId, publicKey: row.publicKey, activatedAt: row.activatedAt.toISOString(), retiredAt: null };
    },
  });
}
