import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

/**
 * Structured JSON logs; credentials are redacted wherever they appear in a logged object. In development on a
 * terminal the lines are pretty-printed (pino-pretty, in-process so no line is lost at exit); elsewhere JSON.
 */
export function createLogger(level: string, bindings: Record<string, unknown> = {}, nodeEnv?: string): Logger {
  const options = {
    level,
    base: { service: 'govflow', ...bindings },
    redact: {
      paths: ['req.headers.authorization', 'headers.authorization', '*.token', 'token', '*.apiKey', 'apiKey', '*.password', 'password', 'DATABASE_URL', '*.DATABASE_URL'],
      censor: '[redacted]',
    },
  };
  if (nodeEnv === 'development' && process.stdout.isTTY) return pino(options, pretty({ colorize: true, sync: true }));
  return pino(options);
}
