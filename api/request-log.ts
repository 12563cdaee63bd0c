import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../platform/logger.js';

/**
 * One line per request (pino-http): request ID, route template, status, latency, caller; never headers or bodies.
 * It also gives every request and response its request ID (X-Request-Id when the caller sends a sane one).
 */
export function requestLog(log: Logger): RequestHandler {
  const line = (req: Request, res: Response) => {
    const key = (req.params as Record<string, string> | undefined)?.key;
    return {
      method: req.method,
      route: (req.route?.path as string | undefined) ?? req.path,
      status: res.statusCode,
      actor: res.locals.actor?.id,
      ...(key ? { businessKey: key } : {}),
    };
  };
  return pinoHttp<Request, Response>({
    logger: log,
    quietReqLogger: true,
    quietResLogger: true,
    customAttributeKeys: { reqId: 'requestId', responseTime: 'ms' },
    genReqId: (req, res) => {
      const given = req.get('x-request-id');
      const id = given && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
      res.locals.requestId = id;
      res.set('x-request-id', id);
      return id;
    },
    customSuccessObject: (req, res, value: { ms: number }) => ({ ...line(req, res), ms: value.ms }),
    customErrorObject: (req, res, _err, value: { ms: number }) => ({ ...line(req, res), ms: value.ms }),
    customSuccessMessage: () => 'request',
    customErrorMessage: () => 'request',
    // A 5xx is logged with its cause by the problem handler; this line is the access record.
    customLogLevel: (_req, res) => (res.statusCode >= 500 ? 'warn' : 'info'),
  });
}
