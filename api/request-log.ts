import type { RequestHandler } from 'express';
import type { Logger } from '../platform/logger.js';

/** One JSON line per request: request ID, route template, status, latency, caller; never headers or bodies. */
export function requestLog(log: Logger): RequestHandler {
  return (req, res, next) => {
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      const key = (req.params as Record<string, string> | undefined)?.key;
      log.info(
        {
          requestId: res.locals.requestId,
          method: req.method,
          route: (req.route?.path as string | undefined) ?? req.path,
          status: res.statusCode,
          ms: Number((process.hrtime.bigint() - start) / 1_000_000n),
          actor: res.locals.actor?.id,
          ...(key ? { businessKey: key } : {}),
        },
        'request',
      );
    });
    next();
  };
}
