import { readFile, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import * as engineBindings from '@prisma/schema-engine-wasm/schema_engine_bg';
import { PROJECT_ROOT } from './paths.js';

/**
 * Applies the committed migrations in `prisma/migrations` with Prisma's own schema engine, compiled to
 * WebAssembly and driven through the `pg` driver adapter. This needs no engine binary download, writes Prisma's
 * `_prisma_migrations` table exactly as `prisma migrate deploy` does, and so stays interchangeable with it.
 */

export const MIGRATIONS_DIR = path.join(PROJECT_ROOT, 'prisma', 'migrations');
export const SCHEMA_PATH = path.join(PROJECT_ROOT, 'prisma', 'schema.prisma');
const NO_FILTER = { externalTables: [], externalEnums: [] };

interface WasmSchemaEngine {
  applyMigrations(input: unknown): Promise<{ appliedMigrationNames: string[] }>;
  diff(input: unknown): Promise<{ exitCode: number; stdout: string }>;
  free(): void;
}

let wasmReady: Promise<void> | undefined;

function initWasm(): Promise<void> {
  // The package targets bundlers (`import wasm from './x.wasm'`); Node needs the module instantiated by hand.
  wasmReady ??= (async () => {
    // The engine reports Rust panics through this global; without it a panic surfaces as a TypeError.
    const g = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: unknown };
    g.PRISMA_WASM_PANIC_REGISTRY ??= { set_message: (m: string) => { throw new Error(`Prisma schema engine panicked: ${m}`); } };
    const require = createRequire(import.meta.url);
    const wasmPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg').replace(/\.js$/, '.wasm');
    // Typed locally: the project's `lib` has no DOM, where TypeScript declares the WebAssembly JS API.
    const wasm = (globalThis as unknown as {
      WebAssembly: { instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: Record<string, unknown> } }> };
    }).WebAssembly;
    const { instance } = await wasm.instantiate(await readFile(wasmPath), { './schema_engine_bg.js': engineBindings });
    (engineBindings as unknown as { __wbg_set_wasm(w: unknown): void }).__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start?: () => void }).__wbindgen_start?.();
  })();
  return wasmReady;
}

async function openEngine(databaseUrl: string, schema: string): Promise<WasmSchemaEngine> {
  await initWasm();
  const factory = bindMigrationAwareSqlAdapterFactory(new PrismaPg({ connectionString: databaseUrl, max: 1 }));
  const { SchemaEngine } = engineBindings as unknown as {
    SchemaEngine: { new: (o: unknown, log: (l: string) => void, adapter: unknown) => Promise<WasmSchemaEngine> };
  };
  return SchemaEngine.new({ datamodels: [['schema.prisma', schema]] }, () => {}, factory);
}

/** Reads the migrations folder in the shape the engine expects (the same listing Prisma's CLI builds). */
export async function readMigrations(dir = MIGRATIONS_DIR) {
  const lockPath = 'migration_lock.toml';
  const lockContent = await readFile(path.join(dir, lockPath), 'utf8').catch(() => null);
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const migrationDirectories = await Promise.all(
    entries
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort((a, b) => a.localeCompare(b))
      .map(async (name) => ({
        path: name,
        migrationFile: {
          path: 'migration.sql',
          content: await readFile(path.join(dir, name, 'migration.sql'), 'utf8').then(
            (value) => ({ tag: 'ok', value }),
            (err: Error) => ({ tag: 'error', value: err.message }),
          ),
        },
      })),
  );
  return { baseDir: dir, lockfile: { path: lockPath, content: lockContent }, shadowDbInitScript: '', migrationDirectories };
}

/** Applies every committed migration not yet applied; returns the names applied now. */
export async function applyMigrations(databaseUrl: string, options: MigrationOptions = {}): Promise<string[]> {
  const apply = async () => {
    const engine = await openEngine(databaseUrl, await readFile(SCHEMA_PATH, 'utf8'));
    try {
      const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList: await readMigrations(), filters: NO_FILTER });
      return appliedMigrationNames;
    } finally {
      engine.free();
    }
  };
  return options.serialize === false ? apply() : whileMigrationLockHeld(databaseUrl, options, apply);
}

export interface MigrationOptions {
  /** How long to wait for another process's migration (default 120 s). */
  waitSeconds?: number;
  /** Called once when another process is migrating and this one waits. */
  onWait?: () => void;
  /** The embedded database has one process and one session: nothing to serialise, and no second connection. */
  serialize?: boolean;
}

// Workers and APIs started together each migrate at start-up: one applies, the others wait for it here. Prisma's own
// lock gives up after 10 s (a cold start of the engine can take longer), so govflow holds its own, with a bounded wait.
const MIGRATION_LOCK = 4_711_002;

export class MigrationLockTimeout extends Error {
  constructor(seconds: number) {
    super(`another process has been migrating this database for more than ${seconds} s (MIGRATION_WAIT_SECONDS); is one stuck? See pg_locks for advisory lock ${MIGRATION_LOCK}`);
    this.name = 'MigrationLockTimeout';
  }
}

async function whileMigrationLockHeld<T>(databaseUrl: string, options: MigrationOptions, fn: () => Promise<T>): Promise<T> {
  const waitSeconds = options.waitSeconds ?? 120;
  const session = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 10_000 });
  await session.connect();
  try {
    const { rows } = await session.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [MIGRATION_LOCK]);
    if (!rows[0]?.locked) {
      options.onWait?.();
      // lock_timeout bounds the wait for the advisory lock; 55P03 is lock_not_available.
      await session.query(`SET lock_timeout = '${waitSeconds}s'`);
      await session.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]).catch((err: { code?: string }) => {
        throw err.code === '55P03' ? new MigrationLockTimeout(waitSeconds) : err;
      });
    }
    return await fn();
  } finally {
    // Ending the session releases the lock.
    await session.end().catch(() => {});
  }
}

/**
 * The schema as of the last committed migration. Prisma's usual diff replays the migrations into a shadow
 * database and introspects it, which the Wasm engine cannot do over the pg adapter (it fails to read `char`
 * catalogue columns); diffing two datamodels needs no database at all.
 */
export const SCHEMA_SNAPSHOT_PATH = path.join(MIGRATIONS_DIR, 'schema.snapshot.prisma');

/**
 * The SQL that takes the last migrated schema (the snapshot) to the current schema.prisma; empty when equal.
 * The engine insists on a reachable database (`databaseUrl`) although the diff itself reads none.
 */
export async function diffSchemaAgainstSnapshot(databaseUrl: string): Promise<string> {
  const schema = await readFile(SCHEMA_PATH, 'utf8');
  const snapshot = await readFile(SCHEMA_SNAPSHOT_PATH, 'utf8').catch(() => null);
  const engine = await openEngine(databaseUrl, schema);
  try {
    const result = await engine.diff({
      from: snapshot === null ? { tag: 'empty' } : { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: snapshot }] },
      to: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: schema }] },
      script: true,
      shadowDatabaseUrl: null,
      exitCode: null,
      filters: NO_FILTER,
    });
    return result.stdout.includes('-- This is an empty migration.') ? '' : result.stdout;
  } finally {
    engine.free();
  }
}
