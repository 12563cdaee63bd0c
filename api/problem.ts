import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  isGrpcServiceError,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { GovflowError, isErrorCode, ERROR_CODES, type ErrorField } from '../domain/errors.js';
import type { Logger } from '../platform/logger.js';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  code: string;
  errors?: ErrorField[];
  requestId?: string;
}

/** One field per issue; a refused record key is named with the rule it broke (zod nests that issue). */
export function zodFields(err: ZodError): ErrorField[] {
  return err.issues.map((i) => ({
    path: i.path.map(String).join('.') || '(body)',
    message: i.code === 'invalid_key' && i.issues[0] ? i.issues[0].message : i.message,
  }));
}

/** Translates anything thrown below the API into govflow's error vocabulary. */
export function toGovflowError(err: unknown): GovflowError | undefined {
  if (err instanceof GovflowError) return err;
  if (err instanceof ZodError) return new GovflowError('ValidationError', 'the request is not valid', zodFields(err));
  if (err instanceof WorkflowUpdateFailedError || (err as Error)?.name === 'WorkflowUpdateFailedError') {
    const cause = (err as Error & { cause?: unknown }).cause;
    if (cause instanceof ApplicationFailure && isErrorCode(cause.type)) {
      const fields = (cause.details?.[0] as ErrorField[] | undefined) ?? [];
      return new GovflowError(cause.type, cause.message, fields);
    }
    return new GovflowError('RuleViolation', (cause as Error | undefined)?.message ?? 'the process refused the action');
  }
  if (err instanceof WorkflowFailedError && err.cause instanceof ApplicationFailure && isErrorCode(err.cause.type)) {
    return new GovflowError(err.cause.type, err.cause.message, (err.cause.details?.[0] as ErrorField[] | undefined) ?? []);
  }
  if (err instanceof WorkflowNotFoundError) return new GovflowError('NotFound', 'no such process');
  if (err instanceof WorkflowExecutionAlreadyStartedError) return new GovflowError('Conflict', 'a process with this business key already exists');
  if (isGrpcServiceError(err)) {
    // 5 NOT_FOUND, 6 ALREADY_EXISTS, 14 UNAVAILABLE, 4 DEADLINE_EXCEEDED
    if (err.code === 5) return new GovflowError('NotFound', 'no such process');
    if (err.code === 6) return new GovflowError('Conflict', 'already exists');
    if (err.code === 14 || err.code === 4) return new GovflowError('Unavailable', 'Temporal is unreachable; try again shortly');
  }
  const e = err as { name?: string; code?: string; message?: string; type?: string; status?: number; meta?: { driverAdapterError?: { cause?: { kind?: string } } } };
  if (e?.type === 'entity.parse.failed') return new GovflowError('ValidationError', 'the body is not valid JSON', [{ path: '(body)', message: 'malformed JSON' }]);
  if (e?.type === 'entity.too.large') return Object.assign(new GovflowError('ValidationError', 'the body is too large'), { statusOverride: 413 });
  if (e?.name === 'TransportError' || /ECONNREFUSED|Connection refused|UNAVAILABLE/.test(e?.message ?? '')) {
    return new GovflowError('Unavailable', 'a backing service is unreachable; try again shortly');
  }
  // Prisma: P1001 can't reach the database, P2024 pool timeout; driver adapter errors surface as DriverAdapterError,
  // or (a raw query's, P2010) name their kind in the meta; a connection dropped mid-query is the pg driver's own error.
  const unreachable = UNREACHABLE_KINDS.has(e?.meta?.driverAdapterError?.cause?.kind ?? '') || /^Connection terminated unexpectedly/.test(e?.message ?? '');
  if (e?.code === 'P1001' || e?.code === 'P2024' || e?.name === 'DriverAdapterError' || e?.code === 'ECONNREFUSED' || unreachable) {
    return new GovflowError('Unavailable', 'the database is unreachable; try again shortly');
  }
  return undefined;
}

/** Driver adapter error kinds that mean the database is away, not that the request was wrong. */
const UNREACHABLE_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections', 'TlsConnectionError']);

export function sendProblem(res: Parameters<RequestHandler>[1], status: number, code: string, detail: string, errors?: ErrorField[]): void {
  const requestId = res.locals.requestId as string | undefined;
  const body: Problem = {
    type: `https://govflow.dev/problems/${code.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase()}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code,
    ...(errors && errors.length ? { errors } : {}),
    ...(requestId ? { requestId } : {}),
  };
  res.status(status).type('application/problem+json').send(JSON.stringify(body));
}

/** The one central error handler: RFC 9457 problem documents, never a bare 500 for bad input. */
export function problemHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const known = toGovflowError(err);
    if (known) {
      const status = (known as GovflowError & { statusOverride?: number }).statusOverride ?? ERROR_CODES[known.code];
      if (status >= 500) log.warn({ requestId: res.locals.requestId, err: known.message }, 'backing service unavailable');
      return sendProblem(res, status, known.code, known.message, known.fields);
    }
    log.error({ requestId: res.locals.requestId, err }, 'unhandled error');
    return sendProblem(res, 500, 'InternalError', 'an unexpected error occurred; it has been logged with this request id');
  };
}

export const notFoundHandler: RequestHandler = (req, res) => sendProblem(res, 404, 'NotFound', `no route for ${req.method} ${req.path}`);
