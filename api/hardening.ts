import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { GovflowError } from '../domain/errors.js';

/** A request ID on every request and response (taken from X-Request-Id when the caller sends a sane one). */
export const requestId: RequestHandler = (req, res, next) => {
  const given = req.get('x-request-id');
  res.locals.requestId = given && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
  res.set('x-request-id', res.locals.requestId);
  next();
};

export const securityHeaders: RequestHandler = (_req, res, next) => {
  res.set({
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'strict-transport-security': 'max-age=31536000; includeSubDomains',
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'cache-control': 'no-store',
  });
  res.removeHeader('x-powered-by');
  next();
};

/** CORS is closed unless CORS_ORIGINS lists the browser origins allowed to call the API. */
export function cors(allowed: string[]): RequestHandler {
  return (req, res, next) => {
    const origin = req.get('origin');
    if (origin && allowed.includes(origin)) {
      res.set({
        'access-control-allow-origin': origin,
        vary: 'Origin',
        'access-control-allow-headers': 'authorization, content-type, idempotency-key, x-request-id',
        'access-control-allow-methods': 'GET, POST',
        'access-control-max-age': '600',
      });
      if (req.method === 'OPTIONS') return void res.status(204).end();
    }
    next();
  };
}

/** Bodies of POSTs must be JSON (415 otherwise). */
export const requireJson: RequestHandler = (req, _res, next) => {
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (req.method === 'POST' && hasBody && !req.is('application/json')) {
    return next(Object.assign(new GovflowError('ValidationError', 'send the body as application/json'), { statusOverride: 415 }));
  }
  next();
};

/**
 * A fixed-window limit per caller (token hash prefix or IP), in memory: enough for one API process; put a
 * shared limiter in front when running several.
 */
export function rateLimit(perMinute: number): RequestHandler {
  const windows = new Map<string, { start: number; count: number }>();
  return (req, res, next) => {
    const now = Date.now();
    const who = (req.get('authorization') ?? '').slice(-16) || req.ip || 'anonymous';
    let w = windows.get(who);
    if (!w || now - w.start >= 60_000) {
      if (windows.size > 10_000) windows.clear();
      w = { start: now, count: 0 };
      windows.set(who, w);
    }
    w.count++;
    res.set('ratelimit-limit', String(perMinute));
    res.set('ratelimit-remaining', String(Math.max(0, perMinute - w.count)));
    if (w.count > perMinute) {
      res.set('retry-after', String(Math.ceil((w.start + 60_000 - now) / 1000)));
      return next(new GovflowError('RateLimited', `more than ${perMinute} requests in a minute; retry after the Retry-After delay`));
    }
    next();
  };
}
