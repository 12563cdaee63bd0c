import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GovflowError } from '../../domain/errors.js';
import type { Db } from '../../platform/database.js';
import { SigningKeys } from '../../platform/signing-keys.js';
import { privateDb } from '../support/db.js';

// Its own database: the tests below make processes with different keys retire each other's.
let db: Db;
let drop: () => Promise<void>;
beforeAll(async () => {
  ({ db, drop } = await privateDb());
});
afterAll(() => drop());

const dataDir = () => mkdtempSync(path.join(tmpdir(), 'govflow-keys-'));
/** A process's keys, checking on every signature that its key is still the active one. */
const processKeys = (dir: string) => new SigningKeys(db, { file: path.join(dir, 'audit-signing-key.pem') }, 0);

describe('signing keys shared by the processes of one database', () => {
  it('refuses to sign with a key that another process retired, naming both keys and the remedy', async () => {
    const apiDir = dataDir();
    const api = processKeys(apiDir);
    const worker = processKeys(dataDir()); // its own DATA_DIR and no AUDIT_SIGNING_KEY: a key of its own
    const apiKey = (await api.current()).keyId;
    const workerKey = (await worker.current()).keyId;
    expect(workerKey).not.toBe(apiKey);

    const refused = await api.current().then(() => null, (err: unknown) => err);
    expect(refused).toBeInstanceOf(GovflowError);
    expect((refused as GovflowError).message).toContain(`signing key ${apiKey}`);
    expect((refused as GovflowError).message).toContain(`key ${workerKey} is active`);
    expect((refused as GovflowError).message).toContain('same AUDIT_SIGNING_KEY');
    // The one whose key is active signs on; a restart of the other with its old key is refused at once.
    expect((await worker.current()).keyId).toBe(workerKey);
    await expect(processKeys(apiDir).current()).rejects.toThrow(`signing key ${apiKey}`);
    expect(await db.signingKey.count({ where: { retiredAt: null } })).toBe(1);
  });

  it('lets processes that share a DATA_DIR follow a rotation by any one of them', async () => {
    const dir = dataDir();
    const [a, b] = [processKeys(dir), processKeys(dir)];
    const before = (await a.current()).keyId;
    expect((await b.current()).keyId).toBe(before);
    const rotated = (await b.rotate('ada')).keyId;
    expect(rotated).not.toBe(before);
    expect((await a.current()).keyId).toBe(rotated);
  });
});
