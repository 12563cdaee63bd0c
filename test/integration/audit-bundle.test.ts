import { generateKeyPairSync } from 'node:crypto';
import { appendFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyBundle } from '../../domain/transparency/bundle.js';
import { bundleFolder } from '../../platform/bundle-folder.js';
import { govflowCli } from '../support/cli.js';
import { defaultPolicy } from '../support/policy.js';
import { waitFor } from '../support/processes.js';
import { useApiStack } from '../support/stack.js';

const stack = useApiStack('audit-bundle');
const work = mkdtempSync(path.join(os.tmpdir(), 'govflow-bundle-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let admin: string;
const govflow = (...args: string[]) => govflowCli(stack.api.url, admin, ...args);

const key = `BUNDLE-${Date.now()}`;
const workflowId = `architecture-review/${key}`;
const bundle = path.join(work, 'bundle');
const pem = path.join(work, 'govflow.pem');
let evidenceDigest: string;

/** A copy of the bundle with one change, to show what verify names. */
function tampered(name: string, change: (dir: string) => void): string {
  const dir = path.join(work, name);
  cpSync(bundle, dir, { recursive: true });
  change(dir);
  return dir;
}
const editFile = (file: string, edit: (text: string) => string) => writeFileSync(file, edit(readFileSync(file, 'utf8')));

beforeAll(async () => {
  admin = await stack.api.tokenFor('bundle-admin', 'admin');
  const rita = await stack.api.tokenFor('bundle-rita', 'requester');
  const upload = await fetch(`${stack.api.url}/evidence?filename=capacity-plan.md`, {
    method: 'POST',
    headers: { authorization: `Bearer ${rita}`, 'content-type': 'text/markdown' },
    body: `# Capacity plan\n\n10x peak for 4 h, ${key}\n`,
  });
  evidenceDigest = ((await upload.json()) as { digest: string }).digest;
  const started = await stack.api.call('POST', '/architecture-reviews', {
    token: rita,
    body: { businessKey: key, title: 'Ledger on event sourcing', trigger: 'new_system_design', systemDescription: 'Event-sourced ledger', evidence: [evidenceDigest] },
  });
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  const rulings = Object.fromEntries((await defaultPolicy()).architectureReview.approvalCriteria.map((c) => [c, 'approve']));
  for (const role of ['technical_lead', 'enterprise_architect', 'security_architect', 'domain_expert']) {
    const token = await stack.api.tokenFor(`bundle-${role}`, role);
    const voted = await stack.api.call('POST', `/architecture-reviews/${key}/votes`, {
      token,
      body: { role, rulings, ...(role === 'security_architect' ? { justification: 'capacity plan read', evidence: [evidenceDigest] } : {}) },
    });
    expect(voted.status, JSON.stringify(voted.body)).toBe(200);
  }
  await waitFor('the review closed in the log', async () => ((await stack.db.auditEntry.count({ where: { workflowId, action: 'decided' } })) > 0 ? true : null));

  const made = await govflow('audit', 'bundle', bundle, '--process', workflowId);
  expect(made.code, made.stderr).toBe(0);
  const key_ = await govflow('audit', 'public-key');
  expect(key_.code, key_.stderr).toBe(0);
  writeFileSync(pem, key_.stdout);
});

describe('audit bundles', () => {
  it("holds a process's entries, proofs, receipts, evidence and report, and verifies offline", async () => {
    const files = readdirSync(bundle, { recursive: true }).map(String).sort();
    expect(files).toEqual(
      expect.arrayContaining(['README.md', 'entries.csv', 'entries.jsonl', 'keys.json', 'manifest.json', 'proofs.jsonl', 'receipts.jsonl', 'tree-head.json', `evidence/sha256/${evidenceDigest.slice(7)}`, `reports/architecture-review_${key}.html`]),
    );
    const entries = readFileSync(path.join(bundle, 'entries.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { action: string; workflowId: string });
    expect(entries.filter((e) => e.action === 'voted')).toHaveLength(4);
    expect(new Set(entries.map((e) => e.workflowId))).toEqual(new Set([workflowId]));
    expect(readFileSync(path.join(bundle, 'entries.csv'), 'utf8').split('\r\n')[0]).toMatch(/^seq,leafIndex,occurredAt,eventKey,/);
    const report = readFileSync(path.join(bundle, `reports/architecture-review_${key}.html`), 'utf8');
    expect(report).toContain('Ledger on event sourcing');
    expect(report).toContain('capacity plan read');

    const verified = await govflow('verify', bundle, '--public-key', pem);
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(new RegExp(`^ok: ${entries.length} entries, ${entries.length} inclusion proofs and ${entries.length} receipts against the signed tree head of size \\d+ .*; 1 evidence files`));
    // Without a pinned key it still checks, and says what it took on trust.
    const unpinned = await govflow('verify', bundle);
    expect(unpinned.code).toBe(0);
    expect(unpinned.stderr).toMatch(/warning: no public key given/);
    // The export is itself on record.
    expect(await stack.db.auditEntry.count({ where: { action: 'audit_bundle_exported', actor: 'bundle-admin' } })).toBe(1);
  });

  it('names the first broken item when one byte of an entry, a receipt, an evidence file or the manifest changes', async () => {
    const entry = tampered('entry', (d) => editFile(path.join(d, 'entries.jsonl'), (t) => t.replace('"actor":"bundle-security_architect"', '"actor":"bundle-security_architecT"')));
    const e = await govflow('verify', entry, '--public-key', pem);
    expect(e.code).toBe(1);
    expect(e.stderr).toMatch(new RegExp(`does NOT verify: entries\\.jsonl line \\d+ \\(${workflowId}#\\d+\\): its content does not match its leaf hash`));

    const receipt = tampered('receipt', (d) => editFile(path.join(d, 'receipts.jsonl'), (t) => t.replace('"role":"security_architect"', '"role":"security_architecT"')));
    const r = await govflow('verify', receipt, '--public-key', pem);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/receipts\.jsonl line \d+ \(.+\): its signature does not verify/);

    const evidence = tampered('evidence', (d) => appendFileSync(path.join(d, 'evidence/sha256', evidenceDigest.slice(7)), ' '));
    const v = await govflow('verify', evidence, '--public-key', pem);
    expect(v.code).toBe(1);
    expect(v.stderr).toContain(`evidence/sha256/${evidenceDigest.slice(7)}: its content does not match its digest`);

    const manifest = tampered('manifest', (d) => editFile(path.join(d, 'manifest.json'), (t) => t.replace(/"createdAt": "(\d)/, (_m, digit: string) => `"createdAt": "${(Number(digit) + 1) % 10}`)));
    const m = await govflow('verify', manifest, '--public-key', pem);
    expect(m.code).toBe(1);
    expect(m.stderr).toMatch(/manifest\.json: its signature does not verify/);
  });

  it('catches an entry taken out, an edited report, an added file, a forged proof and a key that is not govflow’s', () => {
    const trusted = readFileSync(pem, 'utf8');
    const broken = (dir: string, key = trusted) => verifyBundle(bundleFolder(dir), key).firstBroken;

    const dropped = tampered('dropped', (d) => editFile(path.join(d, 'entries.jsonl'), (t) => t.split('\n').slice(1).join('\n')));
    expect(broken(dropped)).toMatchObject({ item: 'entries.jsonl', reason: expect.stringMatching(new RegExp(`^the entry ${workflowId}#\\d+ is missing \\(proofs\\.jsonl line 1 proves it\\)$`)) });
    const reportFile = `reports/architecture-review_${key}.html`;
    const report = tampered('report', (d) => editFile(path.join(d, reportFile), (t) => t.replace('Ledger on event sourcing', 'Ledger on event sourcinG')));
    expect(broken(report)).toEqual({ item: reportFile, reason: 'its SHA-256 does not match the manifest (the file was changed)' });
    const added = tampered('added', (d) => writeFileSync(path.join(d, 'note.txt'), 'approved, trust me'));
    expect(broken(added)).toEqual({ item: 'note.txt', reason: 'not listed in the manifest (a file was added)' });
    const proof = tampered('proof', (d) => editFile(path.join(d, 'proofs.jsonl'), (t) => t.replace(/"path":\["[0-9a-f]/, (m) => `${m.slice(0, -1)}${m.endsWith('0') ? '1' : '0'}`)));
    expect(broken(proof)).toMatchObject({ item: expect.stringMatching(/^proofs\.jsonl line 1 \(/), reason: expect.stringMatching(/^it does not lead from the entry's leaf to the root/) });
    const stranger = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(broken(bundle, stranger)).toMatchObject({ item: 'manifest.json', reason: expect.stringMatching(/^signed by key [0-9a-f]{32}, not by the public key given/) });
    expect(verifyBundle(bundleFolder(bundle), trusted)).toMatchObject({ ok: true, firstBroken: null });
  });

  it('bundles a period, and refuses a scope it cannot serve', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const period = path.join(work, 'period');
    const made = await govflow('audit', 'bundle', period, '--from', today);
    expect(made.code, made.stderr).toBe(0);
    const result = verifyBundle(bundleFolder(period), readFileSync(pem, 'utf8'));
    expect(result, JSON.stringify(result.firstBroken)).toMatchObject({ ok: true });
    expect(result.checked.entries).toBeGreaterThan(4);

    const both = await stack.api.call('GET', `/audit/bundle?process=${encodeURIComponent(workflowId)}&from=${today}`, { token: admin });
    expect(both.status).toBe(400);
    expect(both.body.errors).toEqual([{ path: 'process', message: 'give a process or a period (from, to), not both' }]);
    expect((await stack.api.call('GET', '/audit/bundle?process=architecture-review%2FNOPE', { token: admin })).status).toBe(404);
    const requester = await stack.api.tokenFor('bundle-rita', 'requester');
    expect((await stack.api.call('GET', '/audit/bundle', { token: requester })).status).toBe(403);
    expect((await govflow('audit', 'bundle', bundle, '--process', workflowId)).stderr).toMatch(/exists and is not empty/);
  });
});
