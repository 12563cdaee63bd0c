import type { RequestHandler } from 'express';
import corsMiddleware from 'cors';
import { rateLimit as expressRateLimit, ipKeyGenerator } from 'express-rate-limit';
import helmet from 'helmet';
import { GovflowError } from '../domain/errors.js';

/** The JSON API's headers: nothing may be framed, embedded or cached (the docs and the web app set their own CSP). */
export const securityHeaders: RequestHandler[] = [
  helmet({
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  }),
  (_req, res, next) => {
    res.set('cache-control', 'no-store');
    next();
  },
];

/** CORS is off (same-origin only) unless CORS_ORIGINS lists the browser origins allowed to call the API. */
export function cors(allowed: string[]): RequestHandler {
  return corsMiddleware({
    origin: allowed.length ? allowed : false,
    methods: ['GET', 'POST'],
    allowedHeaders: ['authorization', 'content-type', 'idempotency-key', 'x-request-id'],
    exposedHeaders: ['location', 'x-request-id', 'retry-after', 'ratelimit', 'ratelimit-policy'],
    maxAge: 600,
  });
}

/** Bodies of POSTs must be JSON (415 otherwise). */
export const requireJson: RequestHandler = (req, _res, next) => {
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  // An upload route's raw parser has taken the body already (a Buffer).
  if (req.method === 'POST' && hasBody && !Buffer.isBuffer(req.body) && !req.is('application/json')) {
    return next(Object.assign(new GovflowError('ValidationError', 'send the body as application/json'), { statusOverride: 415 }));
  }
  next();
};

/**
 * A one-minute window per caller (the token's tail, or the IP), in memory: enough for one API process; put a
 * shared store or limiter in front when running several. A large API_RATE_LIMIT_PER_MINUTE lifts it (the fuzz run).
 */
export function rateLimit(perMinute: number): RequestHandler {
  return expressRateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => (req.get('authorization') ?? '').slice(-16) || ipKeyGenerator(req.ip ?? 'anonymous'),
    // The one error vocabulary: a problem+json 429 from the central handler, after Retry-After is set.
    handler: (_req, _res, next) => next(new GovflowError('RateLimited', `more than ${perMinute} requests in a minute; retry after the Retry-After delay`)),
  });
}
