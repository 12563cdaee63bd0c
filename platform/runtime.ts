import { ConfigError, type Config } from './config.js';
import { createDb, describeDatabaseUrl, startEmbeddedDatabase, type Db } from './database.js';
import { applyMigrations } from './migrations.js';
import { TemporalCliNotFound, TemporalUnreachable } from './temporal.js';
import type { Logger } from './logger.js';

/** A start-up failure with a message meant for the operator; printed without a stack trace. */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}

export interface OpenDatabase {
  db: Db;
  url: string;
  embedded: boolean;
  close(): Promise<void>;
}

/**
 * Connects to DATABASE_URL (or starts the embedded PGlite database), applies pending migrations and checks the
 * connection, turning an unreachable server into one clear message.
 */
export async function openDatabase(config: Config, log: Logger, options: { allowEmbedded: boolean }): Promise<OpenDatabase> {
  let url = config.DATABASE_URL;
  let stopEmbedded: (() => Promise<void>) | undefined;
  if (!url) {
    if (!options.allowEmbedded) {
      throw new StartupError(
        'DATABASE_URL is not set. The embedded database runs only under `npm start` (which runs worker and API in one process); ' +
          'to run them separately, point DATABASE_URL at PostgreSQL, e.g. postgresql://postgres@127.0.0.1:5432/govflow.',
      );
    }
    const embedded = await startEmbeddedDatabase(config);
    url = embedded.url;
    stopEmbedded = embedded.stop;
    log.info({ dataDir: config.DATA_DIR }, 'using the embedded database (PGlite); set DATABASE_URL to use PostgreSQL');
  }
  try {
    const applied = await applyMigrations(url, {
      serialize: !stopEmbedded,
      waitSeconds: config.MIGRATION_WAIT_SECONDS,
      onWait: () => log.info({ waitSeconds: config.MIGRATION_WAIT_SECONDS }, 'another process is migrating the database; waiting for it'),
    });
    if (applied.length) log.info({ applied }, 'database migrations applied');
  } catch (err) {
    await stopEmbedded?.();
    throw new StartupError(`Cannot prepare the database at ${describeDatabaseUrl(url)}: ${firstLine(err)}\nIs PostgreSQL running and DATABASE_URL correct?`);
  }
  // PGlite serves one session at a time: one connection keeps transactions from interleaving.
  const db = createDb(url, stopEmbedded ? 1 : config.DATABASE_POOL_MAX);
  return {
    db,
    url,
    embedded: Boolean(stopEmbedded),
    async close() {
      await db.$disconnect();
      await stopEmbedded?.();
    },
  };
}

function firstLine(err: unknown): string {
  return ((err as Error)?.message ?? String(err)).split('\n').find((l) => l.trim()) ?? 'unknown error';
}

/**
 * Runs an entry point: known start-up problems (bad configuration, no Temporal CLI, unreachable services) print
 * one clear message and exit 1; anything else keeps its stack trace.
 */
export function runMain(main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    if (err instanceof ConfigError || err instanceof TemporalCliNotFound || err instanceof TemporalUnreachable || err instanceof StartupError) {
      process.stderr.write(`govflow: ${err.message}\n`);
    } else {
      process.stderr.write(`govflow: unexpected failure\n${(err as Error)?.stack ?? String(err)}\n`);
    }
    process.exit(1);
  });
}

/**
 * Runs `stop` once on the first SIGINT/SIGTERM; a second signal forces the exit. One Ctrl-C in a terminal often
 * arrives twice within milliseconds (the terminal signals the whole process group, and `npm`/`tsx` relay it to
 * their child as well), so a repeat within REPEAT_WINDOW_MS counts as the same request, not as "force it".
 */
const REPEAT_WINDOW_MS = 1000;

export function onShutdown(log: Logger, stop: () => Promise<void>): void {
  let firstAt: number | undefined;
  const handler = (signal: NodeJS.Signals) => {
    if (firstAt !== undefined) {
      if (Date.now() - firstAt < REPEAT_WINDOW_MS) return;
      log.warn('second signal: exiting now');
      process.exit(130);
    }
    firstAt = Date.now();
    log.info({ signal }, 'shutting down');
    stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}
