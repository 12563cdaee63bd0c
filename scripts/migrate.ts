/**
 * `npm run migrate`: applies the committed migrations to DATABASE_URL and exits (for deployments that migrate
 * before starting workers and APIs; they also migrate at start-up).
 */
import { loadConfig } from '../platform/config.js';
import { describeDatabaseUrl } from '../platform/database.js';
import { applyMigrations } from '../platform/migrations.js';
import { runMain, StartupError } from '../platform/runtime.js';

runMain(async () => {
  const config = loadConfig();
  if (!config.DATABASE_URL) throw new StartupError('DATABASE_URL is not set: name the PostgreSQL database to migrate.');
  const applied = await applyMigrations(config.DATABASE_URL, { waitSeconds: config.MIGRATION_WAIT_SECONDS }).catch((err: Error) => {
    throw new StartupError(`Cannot migrate ${describeDatabaseUrl(config.DATABASE_URL!)}: ${err.message.split('\n')[0]}`);
  });
  console.log(applied.length ? `applied: ${applied.join(', ')}` : `${describeDatabaseUrl(config.DATABASE_URL)} is up to date`);
});
