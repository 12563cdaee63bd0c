import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import { canonicalJson } from '../domain/canonical-json.js';
import { GovflowError } from '../domain/errors.js';
import type { Db } from '../platform/database.js';
import { actorOf } from './auth.js';

const IN_PROGRESS = 0;
/** A request still "in progress" after this long died with its process: a retry may take it over. */
const STALE_AFTER_MS = 30_000;

/** The key as the API scopes it (per principal); handlers use it to make their Temporal calls idempotent too. */
export function idempotencyKeyOf(res: { locals: { idempotencyKey?: string } }): string | undefined {
  return res.locals.idempotencyKey;
}

/**
 * `Idempotency-Key` for POSTs: the first request with a key runs and its response is stored; a retry with the
 * same key and body gets the stored response, with no second effect. The same key with a different body is
 * refused (422), and a retry while the first is still running gets 409.
 */
export function idempotency(db: Db): RequestHandler {
  return async (req, res, next) => {
    const key = req.get('idempotency-key');
    if (req.method !== 'POST' || !key) return next();
    if (!/^[\x21-\x7e]{1,200}$/.test(key)) {
      return next(new GovflowError('ValidationError', 'Idempotency-Key must be 1-200 visible ASCII characters', [{ path: 'Idempotency-Key', message: 'invalid' }]));
    }
    const principalId = actorOf(res).id;
    const id = `${principalId}:${key}`;
    const requestHash = createHash('sha256').update(`${req.method} ${req.originalUrl}\n${canonicalJson(req.body ?? null)}`).digest('hex');

    res.locals.idempotencyKey = createHash('sha256').update(id).digest('hex').slice(0, 32);
    const existing = await db.idempotencyRecord.findUnique({ where: { key: id } });
    if (existing && !(existing.status === IN_PROGRESS && Date.now() - existing.createdAt.getTime() > STALE_AFTER_MS)) return replay(existing);
    if (existing) {
      // Take over a request whose API process died mid-flight; the Temporal call below is itself idempotent.
      const taken = await db.idempotencyRecord.updateMany({ where: { key: id, status: IN_PROGRESS, createdAt: existing.createdAt }, data: { createdAt: new Date() } });
      if (taken.count === 0) return next(new GovflowError('Conflict', 'a request with this Idempotency-Key is still being processed; retry shortly'));
    } else {
      try {
        await db.idempotencyRecord.create({ data: { key: id, principalId, requestHash, status: IN_PROGRESS, body: {} } });
      } catch (err) {
        if ((err as { code?: string }).code !== 'P2002') throw err;
        const raced = await db.idempotencyRecord.findUnique({ where: { key: id } });
        if (raced) return replay(raced);
      }
    }

    const send = res.send.bind(res);
    res.send = (body?: unknown) => {
      res.send = send; // express re-enters send() for objects; only the first call is intercepted
      const status = res.statusCode;
      const stored = status >= 500
        ? db.idempotencyRecord.delete({ where: { key: id } })
        : db.idempotencyRecord.update({ where: { key: id }, data: { status, body: { raw: typeof body === 'string' ? body : JSON.stringify(body ?? null), type: res.get('content-type') ?? 'application/json' } } });
      stored.catch(() => {}).finally(() => send(body));
      return res;
    };
    next();

    function replay(record: { requestHash: string; status: number; body: unknown }) {
      if (record.requestHash !== requestHash) {
        return next(new GovflowError('RuleViolation', 'this Idempotency-Key was already used with a different request', [{ path: 'Idempotency-Key', message: 'reused with a different body' }]));
      }
      if (record.status === IN_PROGRESS) return next(new GovflowError('Conflict', 'a request with this Idempotency-Key is still being processed; retry shortly'));
      const stored = record.body as { raw: string; type: string };
      res.status(record.status).set('idempotent-replayed', 'true').type(stored.type).send(stored.raw);
    }
  };
}
