import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../platform/database.js';
import { coveredBy, setOutOfOffice } from '../../platform/out-of-office.js';
import { findPrincipalByToken, hashToken, issueToken, setPrincipalActive } from '../../platform/principals.js';
import { privateDb } from '../support/db.js';

// The one statement every API request authenticates with: the token's validity rules and the absences it covers.
let db: Db;
let drop: () => Promise<void>;
beforeAll(async () => {
  ({ db, drop } = await privateDb());
});
afterAll(() => drop());

const person = (id: string, roles: string[]) => ({ id, kind: 'person' as const, roles });
const HOUR = 3_600_000;

describe('findPrincipalByToken', () => {
  it('answers the principal of a valid token, and nothing for an unknown, revoked or expired one or a disabled principal', async () => {
    const token = await issueToken(db, person('tina', ['technical_lead']));
    expect(await findPrincipalByToken(db, token)).toEqual({ id: 'tina', kind: 'person', roles: ['technical_lead'], covered: [] });
    expect(await findPrincipalByToken(db, 'gf_unknown')).toBeNull();

    const expiring = await issueToken(db, person('tina', ['technical_lead']), 'expiring');
    const now = new Date();
    await db.apiToken.update({ where: { tokenHash: hashToken(expiring) }, data: { expiresAt: new Date(now.getTime() + HOUR) } });
    expect((await findPrincipalByToken(db, expiring, now))?.id).toBe('tina');
    expect(await findPrincipalByToken(db, expiring, new Date(now.getTime() + HOUR + 1))).toBeNull();

    const revoked = await issueToken(db, person('tina', ['technical_lead']), 'revoked');
    await db.apiToken.update({ where: { tokenHash: hashToken(revoked) }, data: { revokedAt: new Date() } });
    expect(await findPrincipalByToken(db, revoked)).toBeNull();

    await setPrincipalActive(db, 'tina', false, 'admin');
    expect(await findPrincipalByToken(db, token)).toBeNull();
    await setPrincipalActive(db, 'tina', true, 'admin');
    expect((await findPrincipalByToken(db, token))?.id).toBe('tina');
  });

  it('names the people the principal stands in for at the time, as coveredBy does', async () => {
    const deputyToken = await issueToken(db, person('dan', ['security_architect']));
    await issueToken(db, person('sue', ['security_architect']));
    await issueToken(db, person('sal', ['security_architect']));
    const from = new Date(Date.now() - HOUR);
    const until = new Date(Date.now() + HOUR);
    await setOutOfOffice(db, person('sue', ['security_architect']), { deputy: 'dan', from, until });
    await setOutOfOffice(db, person('sal', ['security_architect']), { deputy: 'dan', from: until, until: new Date(until.getTime() + HOUR) });

    for (const at of [from, new Date(), new Date(until.getTime() - 1), until, new Date(until.getTime() + HOUR)]) {
      const expected = await coveredBy(db, 'dan', at);
      expect((await findPrincipalByToken(db, deputyToken, at))?.covered).toEqual(expected);
    }
    expect(await coveredBy(db, 'dan', new Date(from.getTime() - 1))).toEqual([]);
    expect(await coveredBy(db, 'dan', from)).toEqual(['sue']);
    expect(await coveredBy(db, 'dan', until)).toEqual(['sal']);
    expect(await coveredBy(db, 'dan', new Date(until.getTime() + HOUR))).toEqual([]);
  });
});
