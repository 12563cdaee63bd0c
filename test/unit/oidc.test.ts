import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chainHash, GENESIS_HASH } from '../../activities/audit-log.js';
import { loadRoleMapping } from '../../api/oidc.js';
import { loadConfig } from '../../platform/config.js';
import { StartupError } from '../../platform/runtime.js';
import { defaultPolicy } from '../support/policy.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'govflow-oidc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function mappingFile(text: string): string {
  const file = path.join(dir, `mapping-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, text);
  return file;
}

describe('OIDC role mapping', () => {
  it('loads the example mapping against the default policy', async () => {
    const mapping = loadRoleMapping('policies/oidc-role-mapping.example.yaml', (await defaultPolicy()).roles);
    expect(mapping.get('govflow-architects')).toEqual(['enterprise_architect']);
    expect(mapping.get('govflow-committee-chair')).toEqual(['committee_member', 'committee_chair']);
  });

  it('stops the start-up on a role the policy does not declare, naming the file, the value and the role', async () => {
    const file = mappingFile('govflow-architects: [enterprise_architect]\ngovflow-wizards: [wizard]\n');
    const load = async () => loadRoleMapping(file, (await defaultPolicy()).roles);
    await expect(load()).rejects.toThrow(StartupError);
    await expect(load()).rejects.toThrow(`OIDC_ROLE_MAPPING_FILE ${file}: \`govflow-wizards\` maps to role \`wizard\`, which the policy set does not declare`);
  });

  it('names the entry of a malformed mapping and an unreadable file', () => {
    expect(() => loadRoleMapping(mappingFile('govflow-architects: enterprise_architect\n'), ['enterprise_architect'])).toThrow(/`govflow-architects`: /);
    expect(() => loadRoleMapping(path.join(dir, 'missing.yaml'), [])).toThrow(/OIDC_ROLE_MAPPING_FILE .*missing\.yaml cannot be read/);
  });
});

describe('OIDC configuration', () => {
  it('needs an audience and a mapping file with an issuer', () => {
    expect(() => loadConfig({ OIDC_ISSUER_URL: 'https://idp.example.com/realms/govflow' })).toThrow(/OIDC_AUDIENCE=\(unset\): required when OIDC_ISSUER_URL is set[\s\S]*OIDC_ROLE_MAPPING_FILE=\(unset\)/);
    const c = loadConfig({ OIDC_ISSUER_URL: 'https://idp.example.com/realms/govflow', OIDC_AUDIENCE: 'govflow', OIDC_ROLE_MAPPING_FILE: 'm.yaml' });
    expect(c).toMatchObject({ OIDC_ROLES_CLAIM: 'groups', OIDC_PRINCIPAL_CLAIM: 'preferred_username', OIDC_JWKS_COOLDOWN_SECONDS: 30 });
  });
});

describe('audit hash with an identity', () => {
  const entry = {
    eventKey: 'architecture-review/ARCH-1#2',
    workflowId: 'architecture-review/ARCH-1',
    actor: 'erin',
    actorKind: 'person',
    role: 'enterprise_architect',
    action: 'voted',
    details: { round: 1, verdict: 'approve' },
    policyVersion: '1.0.0+abc',
    occurredAt: new Date('2026-12-01T10:00:00.000Z'),
  };

  it('hashes an entry without identity exactly as before identities existed', () => {
    // Computed by the audit log as it was before OIDC: existing chains must keep verifying.
    expect(chainHash(GENESIS_HASH, entry)).toBe('835a59c24260d65ee32692231dfd7499ac2dc720661df38bcca8859ae5c9ef02');
  });

  it('covers the issuer and subject when there is one', () => {
    const withIdentity = chainHash(GENESIS_HASH, { ...entry, identity: { issuer: 'https://idp', subject: 's' } });
    expect(withIdentity).not.toBe(chainHash(GENESIS_HASH, entry));
    expect(withIdentity).not.toBe(chainHash(GENESIS_HASH, { ...entry, identity: { issuer: 'https://idp', subject: 't' } }));
  });
});
