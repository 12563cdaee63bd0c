import { pino, type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs; credentials are redacted wherever they appear in a logged object. */
export function createLogger(level: string, bindings: Record<string, unknown> = {}): Logger {
  return pino({
    level,
    base: { service: 'govflow', ...bindings },
    redact: {
      paths: ['req.headers.authorization', 'headers.authorization', '*.token', 'token', '*.apiKey', 'apiKey', '*.password', 'password', 'DATABASE_URL', '*.DATABASE_URL'],
      censor: '[redacted]',
    },
  });
}
