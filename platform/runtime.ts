import { ConfigError, type Config } from './config.js';
import { createDb, describeDatabaseUrl, startEmbeddedDatabase, type Db } from './database.js';
import { applyMigrations } from './migrations.js';
import { TemporalCliNotFound, TemporalUnreachable } from './temporal.js';
import type { Logger } from './logger.js';
import { StartupError } from './startup.js';

export { StartupError };


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
 * Whatever happens, the process exits once `budgetMs` have passed.
 */
const REPEAT_WINDOW_MS = 1000;

export function onShutdown(log: Logger, stop: () => Promise<void>, budgetMs: number): void {
  let firstAt: number | undefined;
  const handler = (signal: NodeJS.Signals) => {
    if (firstAt !== undefined) {
      if (Date.now() - firstAt < REPEAT_WINDOW_MS) return;
      log.warn('second signal: exiting now');
      process.exit(130);
    }
    firstAt = Date.now();
    log.info({ signal }, 'shutting down');
    // Every step below is bounded; this is the backstop that makes a hang impossible.
    setTimeout(() => {
      log.error({ budgetMs }, 'shutdown did not finish in time: exiting');
      process.exit(1);
    }, budgetMs).unref();
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

/** Waits for one shutdown step for at most `ms`, then goes on, saying what it gave up on; true if it finished. */
export async function withDeadline(what: string, step: Promise<unknown>, ms: number, log: Logger): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), ms)));
  const outcome = await Promise.race([step.then(() => 'done' as const), late]).finally(() => clearTimeout(timer));
  if (outcome === 'late') log.warn({ step: what, waitedMs: ms }, 'shutdown step did not finish in time: left behind');
  return outcome === 'done';
}
