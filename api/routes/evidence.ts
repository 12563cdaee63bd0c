import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { appendAudit } from '../../activities/audit-log.js';
import { GovflowError } from '../../domain/errors.js';
import { EVIDENCE_DIGEST } from '../../domain/transparency/statements.js';
import { safeString } from '../schemas/common.js';
import { digestOf } from '../../platform/evidence-store.js';
import { actorOf } from '../auth.js';
import type { ApiDeps } from '../process-routes.js';
import type { RouteRegistry } from '../route-registry.js';
import { evidenceRecord } from '../schemas/responses.js';

const uploadQuery = z.object({ filename: safeString().trim().min(1).max(255).regex(/^[^/\\]+$/, 'a file name, without folders').optional() }).strict();

/**
 * Evidence as content (#20): uploads are stored by SHA-256, once, and recorded in the audit log; decisions cite the
 * digest, which their receipts carry. Any signed-in principal may upload and read evidence: it is what processes cite.
 */
export function registerEvidenceRoutes(registry: RouteRegistry, { db, config, evidence }: ApiDeps): void {
  const allowed = config.EVIDENCE_MEDIA_TYPES;
  registry.add({
    method: 'post',
    path: '/evidence',
    summary: `Upload evidence (the file as the body, at most ${config.EVIDENCE_MAX_BYTES} bytes); the same content again answers the stored record`,
    tag: 'Evidence',
    roles: [],
    query: uploadQuery,
    upload: { mediaTypes: allowed },
    response: evidenceRecord,
    status: 201,
    handler: async ({ query }, req, res) => {
      const mediaType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (!allowed.includes(mediaType)) {
        throw Object.assign(new GovflowError('ValidationError', `evidence of type ${mediaType || '(none)'} is not accepted; send one of ${allowed.join(', ')} (EVIDENCE_MEDIA_TYPES)`, [{ path: 'content-type', message: 'not an accepted media type' }]), { statusOverride: 415 });
      }
      const content = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      if (content.length === 0) throw new GovflowError('ValidationError', 'the evidence is empty: send the file as the request body', [{ path: 'body', message: 'empty' }]);
      const digest = digestOf(content);
      const known = await db.evidence.findUnique({ where: { digest } });
      if (known) {
        res.locals.status = 200;
        return json(known);
      }
      await scan(config.EVIDENCE_SCAN_URL, content, mediaType);
      await evidence.put(digest, content, mediaType);
      const actor = actorOf(res);
      const row = await db.$transaction(async (tx) => {
        const created = await tx.evidence.upsert({ where: { digest }, update: {}, create: { digest, size: content.length, mediaType, filename: query.filename ?? null, uploadedBy: actor.id } });
        await appendAudit(tx, [
          { eventKey: `evidence:${digest}#${randomUUID()}`, workflowId: null, actor: actor.id, actorKind: actor.kind, role: null, action: 'evidence_uploaded', details: { digest, size: content.length, mediaType, filename: query.filename ?? null }, policyVersion: null, identity: actor.identity, occurredAt: new Date() },
        ]);
        return created;
      });
      return json(row);
    },
  });

  registry.add({
    method: 'get',
    path: '/evidence/:digest',
    summary: 'The evidence itself, as uploaded (its digest is its name)',
    tag: 'Evidence',
    roles: [],
    produces: { mediaType: 'application/octet-stream', description: 'The stored content, with the media type it was uploaded as', binary: true },
    handler: async ({ params }, _req, res) => {
      const row = await findEvidence(db, params.digest!);
      const content = await evidence.get(row.digest);
      if (!content) throw new GovflowError('NotFound', `the evidence ${row.digest} is recorded but its content is not in the ${evidence.kind} store`);
      res
        .status(200)
        .type(row.mediaType)
        .set('content-disposition', `attachment; filename="${(row.filename ?? row.digest.replace(':', '-')).replace(/"/g, '')}"`)
        .set('digest', `sha-256=${Buffer.from(row.digest.slice(7), 'hex').toString('base64')}`)
        .end(content);
      return undefined;
    },
  });

  registry.add({
    method: 'get',
    path: '/evidence/:digest/record',
    summary: "What is known of stored evidence: size, type, file name, who uploaded it and when",
    tag: 'Evidence',
    roles: [],
    response: evidenceRecord,
    handler: async ({ params }) => json(await findEvidence(db, params.digest!)),
  });
}

async function findEvidence(db: ApiDeps['db'], digest: string) {
  if (!EVIDENCE_DIGEST.test(digest)) throw new GovflowError('ValidationError', 'an evidence digest is sha256:<64 hex digits>', [{ path: 'digest', message: 'not a digest' }]);
  const row = await db.evidence.findUnique({ where: { digest } });
  if (!row) throw new GovflowError('NotFound', `no evidence has the digest ${digest}`);
  return row;
}

const json = (row: { digest: string; size: number; mediaType: string; filename: string | null; uploadedBy: string; uploadedAt: Date }) => ({ ...row, uploadedAt: row.uploadedAt.toISOString() });

/** The optional scan hook: the bytes go to EVIDENCE_SCAN_URL; only `{"clean": true}` with a 2xx lets them in. */
async function scan(url: string | undefined, content: Buffer, mediaType: string): Promise<void> {
  if (!url) return;
  let verdict: { clean?: unknown; reason?: unknown } = {};
  try {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': mediaType }, body: content, signal: AbortSignal.timeout(30_000) });
    verdict = res.ok ? ((await res.json()) as typeof verdict) : { clean: false, reason: `the scanner answered ${res.status}` };
  } catch (err) {
    throw new GovflowError('Unavailable', `the evidence scanner at EVIDENCE_SCAN_URL could not be reached (${(err as Error).message}); try again`);
  }
  if (verdict.clean !== true) {
    throw new GovflowError('RuleViolation', `the evidence scanner refused the file${typeof verdict.reason === 'string' ? `: ${verdict.reason}` : ''}`);
  }
}

/** Decisions and requests cite uploaded evidence by digest: each cited digest must name stored evidence. */
export async function requireKnownEvidence(db: ApiDeps['db'], body: unknown): Promise<void> {
  const cited = (body as { evidence?: unknown } | null)?.evidence;
  if (!Array.isArray(cited)) return;
  const digests = cited.filter((e): e is string => typeof e === 'string' && e.startsWith('sha256:'));
  if (digests.length === 0) return;
  const bad = digests.filter((d) => !EVIDENCE_DIGEST.test(d));
  const found = new Set((await db.evidence.findMany({ where: { digest: { in: digests } }, select: { digest: true } })).map((r) => r.digest));
  const unknown = [...bad, ...digests.filter((d) => EVIDENCE_DIGEST.test(d) && !found.has(d))];
  if (unknown.length) {
    throw new GovflowError(
      'ValidationError',
      `evidence cites ${unknown.join(', ')}, which no upload stored: upload it first (POST /evidence)`,
      unknown.map((d) => ({ path: `evidence[${cited.indexOf(d)}]`, message: EVIDENCE_DIGEST.test(d) ? 'no evidence has this digest' : 'a digest is sha256:<64 hex digits>' })),
    );
  }
}
