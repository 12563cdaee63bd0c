import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { toGovflowError } from '../../api/problem.js';
import { createDb, type Db } from '../../platform/database.js';
import { CuttableProxy, freePort } from '../support/processes.js';

// The errors the database's absence really raises (through a proxy that is cut), as the API maps them.
let proxy: CuttableProxy;
let db: Db;
beforeAll(async () => {
  const url = new URL(inject('databaseUrl'));
  proxy = new CuttableProxy(await freePort(), { host: url.hostname, port: Number(url.port || 5432) });
  await proxy.up();
  url.port = String(proxy.port);
  db = createDb(url.toString(), 2);
});
afterAll(async () => {
  await db.$disconnect();
  await proxy.cut();
});

const failure = (p: Promise<unknown>) => p.then(() => null, (err: unknown) => err);

describe('database errors as problems', () => {
  it('answers 503 Unavailable for model and raw queries alike while the database is away, from the first query on', async () => {
    await db.$queryRaw`SELECT 1`;
    await proxy.cut();
    // The first query meets the pool's dropped connection; later ones cannot connect.
    const queries = [() => db.$queryRaw`SELECT 1`, () => db.principal.findUnique({ where: { id: 'nobody' } }), () => db.$queryRaw`SELECT 2`, () => db.apiToken.count()];
    for (const query of queries) {
      const err = await failure(query());
      expect(err, 'the query failed').not.toBeNull();
      expect(toGovflowError(err)?.code, String((err as Error).message)).toBe('Unavailable');
    }
    await proxy.up();
  });

  it('does not call a refused raw statement an outage', async () => {
    const err = await failure(db.$queryRaw`SELECT 1/0`);
    expect(err).not.toBeNull();
    expect(toGovflowError(err)?.code).not.toBe('Unavailable');
  });
});
