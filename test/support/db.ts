import pg from 'pg';
import { inject } from 'vitest';
import { createDb, type Db } from '../../platform/database.js';
import { applyMigrations } from '../../platform/migrations.js';

export const DEFAULT_SERVER_URL = process.env.TEST_DATABASE_SERVER_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

/**
 * Creates a database with the committed migrations applied (unless `migrate: false`) on the server of `serverUrl`,
 * for one test run, recording or benchmark; `drop()` removes it again.
 */
export async function createScratchDatabase(prefix: string, serverUrl = DEFAULT_SERVER_URL, options: { migrate?: boolean } = {}): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(
      `Tests need PostgreSQL at ${new URL(serverUrl).host} (${(err as Error).message}). ` +
        'Start it, or set TEST_DATABASE_SERVER_URL to a server where the user may create databases.',
    );
  }
  const name = `${prefix}_${Date.now()}_${Math.random().toString(36).slice(2, 8)}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  if (options.migrate !== false) await applyMigrations(url.toString());
  return {
    url: url.toString(),
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** The run's fresh, migrated test database (see global-setup.ts), shared by the test files of a run. */
export function testDb(): Db {
  return createDb(inject('databaseUrl'), 5);
}

/**
 * A database of one's own, for tests that tamper with global state (the audit chain) and so must not share the
 * run's database with tests running in parallel.
 */
export async function privateDb(): Promise<{ db: Db; url: string; drop(): Promise<void> }> {
  const scratch = await createScratchDatabase('govflow_private');
  const db = createDb(scratch.url, 5);
  return {
    db,
    url: scratch.url,
    async drop() {
      await db.$disconnect();
      await scratch.drop();
    },
  };
}
