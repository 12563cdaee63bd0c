import pg from 'pg';
import { inject } from 'vitest';
import { createDb, type Db } from '../../platform/database.js';
import { applyMigrations } from '../../platform/migrations.js';

/** The run's fresh, migrated test database (see global-setup.ts), shared by the test files of a run. */
export function testDb(): Db {
  return createDb(inject('databaseUrl'), 5);
}

/**
 * A database of one's own, for tests that tamper with global state (the audit chain) and so must not share the
 * run's database with tests running in parallel.
 */
export async function privateDb(): Promise<{ db: Db; url: string; drop(): Promise<void> }> {
  const shared = new URL(inject('databaseUrl'));
  const name = `${shared.pathname.slice(1)}_p${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: shared.toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(shared);
  url.pathname = `/${name}`;
  await applyMigrations(url.toString());
  const db = createDb(url.toString(), 5);
  return {
    db,
    url: url.toString(),
    async drop() {
      await db.$disconnect();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
