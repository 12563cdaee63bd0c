/**
 * govflow's error vocabulary, shared by workflows, activities and the API. Workflows and activities raise
 * these as non-retryable `ApplicationFailure`s whose `type` is the code; the API maps the code to an HTTP
 * status and an RFC 9457 problem document. Pure: safe to import from workflow code.
 */
export const ERROR_CODES = {
  /** Input does not match the schema (400). */
  ValidationError: 400,
  /** No or bad credentials (401). */
  Unauthenticated: 401,
  /** Caller lacks the role the action needs (403). */
  Forbidden: 403,
  /** Unknown process or resource (404). */
  NotFound: 404,
  /** A known path that does not take this method (405, with an Allow header). */
  MethodNotAllowed: 405,
  /** The action conflicts with the current state: a closed review, a duplicate start or vote (409). */
  Conflict: 409,
  /** A governance rule refused the action (422), e.g. a rejection without justification. */
  RuleViolation: 422,
  /** The policy set is invalid or unknown (422). */
  PolicyError: 422,
  /** The EU AI Act classifies the system as a prohibited practice: the process stops (422). */
  ProhibitedAiSystem: 422,
  /** Too many requests (429). */
  RateLimited: 429,
  /** Temporal or the database is unreachable (503). */
  Unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorField {
  path: string;
  message: string;
}

export class GovflowError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields: ErrorField[] = [],
  ) {
    super(message);
    this.name = 'GovflowError';
  }

  get status(): number {
    return ERROR_CODES[this.code];
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}
