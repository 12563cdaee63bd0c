import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../prisma/generated/client.js';
import type { Config } from './config.js';
import { assertPortFree } from './startup.js';

export type Db = PrismaClient;

export function createDb(databaseUrl: string, poolMax: number): Db {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max: poolMax, connectionTimeoutMillis: 5_000 }) });
}

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/**
 * The embedded default when DATABASE_URL is unset: PGlite (PostgreSQL compiled to WebAssembly) persisted under
 * DATA_DIR and served over the PostgreSQL wire protocol on loopback, so the same `pg` adapter and migrations
 * work unchanged. PGlite is single-session: callers must use a pool of one connection.
 */
export async function startEmbeddedDatabase(config: Config): Promise<EmbeddedDatabase> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  const dataDir = path.resolve(config.DATA_DIR, 'pglite');
  mkdirSync(dataDir, { recursive: true });
  await assertPortFree(config.EMBEDDED_DB_PORT, '127.0.0.1', 'the embedded database', 'EMBEDDED_DB_PORT');
  const db = await PGlite.create(dataDir);
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: config.EMBEDDED_DB_PORT, maxConnections: 4 });
  await server.start();
  return {
    url: `postgresql://postgres@127.0.0.1:${config.EMBEDDED_DB_PORT}/postgres?sslmode=disable`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}

/** A short, secret-free description of a database URL for logs and error messages. */
export function describeDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}
