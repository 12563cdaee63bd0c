import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultPolicyDir } from '../../domain/policy/load.js';
import { recordUnderOriginalCatalogue } from '../support/policy.js';
import { govflowCli } from '../support/cli.js';
import { useApiStack } from '../support/stack.js';
import { waitFor } from '../support/processes.js';

const stack = useApiStack('cli');
const dir = mkdtempSync(path.join(os.tmpdir(), 'govflow-cli-'));
let adminToken: string;

const govflow = (token: string, ...args: string[]) => govflowCli(stack.api.url, token, ...args);

beforeAll(async () => {
  adminToken = await stack.api.tokenFor('cli-admin', 'admin');
});

describe('the govflow CLI', () => {
  it('creates principals, starts a review, shows the inbox, votes it to approval and verifies the audit chain', async () => {
    const suffix = randomUUID().slice(0, 6);
    const tokens: Record<string, string> = {};
    for (const [id, role] of [[`rita-${suffix}`, 'requester'], [`tom-${suffix}`, 'technical_lead'], [`erin-${suffix}`, 'enterprise_architect'], [`sam-${suffix}`, 'security_architect'], [`dora-${suffix}`, 'domain_expert']] as const) {
      // As the README does it: the bare token, ready for a shell variable.
      const created = await govflow(adminToken, 'principal', 'create', id, '--roles', role, '--print-token');
      expect(created.code, created.stderr).toBe(0);
      expect(created.stdout).toMatch(/^gf_\S+\n$/);
      tokens[role] = created.stdout.trim();
    }
    const another = await govflow(adminToken, 'token', 'create', `rita-${suffix}`, '--label', 'laptop');
    expect(JSON.parse(another.stdout)).toMatchObject({ token: expect.stringMatching(/^gf_/) });

    const key = `CLI-${suffix}`;
    const file = path.join(dir, 'review.json');
    writeFileSync(file, JSON.stringify({
      businessKey: key,
      title: 'Payments ledger v2',
      trigger: 'new_system_design',
      systemDescription: 'Event-sourced ledger',
      evidence: ['https://wiki.example.com/ledger'],
      selfAssessment: {},
    }));
    const started = await govflow(tokens.requester!, 'start', 'architecture-reviews', '--file', file);
    expect(started.code, started.stderr).toBe(0);
    expect(JSON.parse(started.stdout)).toMatchObject({ workflowId: `architecture-review/${key}` });

    const inbox = await waitFor('the review in the security architect inbox', async () => {
      const out = await govflow(tokens.security_architect!, 'inbox');
      const items = (JSON.parse(out.stdout) as { items: { businessKey: string }[] }).items;
      return items.some((i) => i.businessKey === key) ? items : null;
    });
    expect(inbox.length).toBeGreaterThan(0);

    for (const role of ['technical_lead', 'enterprise_architect', 'security_architect', 'domain_expert']) {
      const voted = await govflow(tokens[role]!, 'vote', 'architecture-reviews', key, '--role', role, '--approve-all');
      expect(voted.code, voted.stderr).toBe(0);
    }
    const shown = await waitFor('the approved review', async () => {
      const out = await govflow(tokens.requester!, 'show', 'architecture-reviews', key);
      const state = JSON.parse(out.stdout) as { outcome: string | null };
      return state.outcome ? state : null;
    });
    expect(shown.outcome).toBe('approved');

    // Offboarding: list the leaver's tokens, revoke one, deactivate; the CLI says why a recreate is refused.
    const listed = await govflow(adminToken, 'token', 'list', `rita-${suffix}`);
    const items = (JSON.parse(listed.stdout) as { items: { id: string; label: string }[] }).items;
    expect(items.map((t) => t.label)).toEqual(['created', 'laptop']);
    expect((await govflow(adminToken, 'token', 'revoke', `rita-${suffix}`, items[1]!.id)).code).toBe(0);
    const off = await govflow(adminToken, 'principal', 'deactivate', `tom-${suffix}`);
    expect(JSON.parse(off.stdout)).toMatchObject({ id: `tom-${suffix}`, disabled: true });
    expect((await govflow(tokens.technical_lead!, 'inbox')).stderr).toMatch(/^govflow: 401 /);
    const again = await govflow(adminToken, 'principal', 'create', `tom-${suffix}`, '--roles', 'technical_lead');
    expect(again.stderr).toMatch(/^govflow: 409 principal tom-\S+ is deactivated; reactivate it first/);
    const roles = JSON.parse((await govflow(adminToken, 'roles')).stdout) as { roles: string[]; permissions: Record<string, Record<string, string[]>> };
    expect(roles.roles).toContain('business_sponsor');
    expect(roles.permissions.architecture_review!.votes).toEqual(['technical_lead', 'enterprise_architect', 'security_architect', 'domain_expert']);

    const verified = await govflow(adminToken, 'audit', 'verify');
    expect(verified.code, verified.stderr).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true });
  });

  it('explains refusals in one line and exits non-zero', async () => {
    const requester = await stack.api.tokenFor('cli-rita', 'requester');
    const key = `CLI-${randomUUID().slice(0, 6)}`;
    await stack.api.call('POST', '/architecture-reviews', { token: requester, body: { businessKey: key, title: 'x', trigger: 'new_system_design', systemDescription: 'x', evidence: [] } });
    const noRole = await govflow(requester, 'vote', 'architecture-reviews', key, '--role', 'technical_lead', '--approve-all');
    expect(noRole.code).toBe(2);
    expect(noRole.stderr).toMatch(/^govflow: 403 /);

    const unknownReview = await govflow(adminToken, 'show', 'architecture-reviews', 'NOPE-1');
    expect(unknownReview.code).toBe(2);
    expect(unknownReview.stderr).toMatch(/^govflow: 404 no architecture review with key NOPE-1/);

    const unknown = await govflow(adminToken, 'frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('usage: npm run govflow');

    const badToken = await govflow('gf_nope', 'inbox');
    expect(badToken.code).toBe(2);
    expect(badToken.stderr).toMatch(/^govflow: 401 /);
  });

  it('policy impact --dir: prints the report of a draft policy folder and exits 1 when a change is flagged', async () => {
    const { workflowId } = await recordUnderOriginalCatalogue(stack.db, 'CLI impact');
    const draft = mkdtempSync(path.join(os.tmpdir(), 'govflow-draft-'));
    cpSync(defaultPolicyDir(), draft, { recursive: true });
    const chair = await stack.api.tokenFor('cli-chair', 'committee_chair');
    const out = await govflow(chair, 'policy', 'impact', '--dir', draft, '--as-of', '2026-12-01');
    expect(out.code, out.stderr).toBe(1);
    const report = JSON.parse(out.stdout) as { asOf: string; evaluations: { workflowId: string; changes: { kind: string; subject: string; after: unknown }[] }[] };
    expect(report.asOf).toBe('2026-12-01');
    expect(report.evaluations.find((e) => e.workflowId === workflowId)?.changes).toContainEqual(expect.objectContaining({ kind: 'obligation_date', subject: 'annex_iii_high_risk', after: '2027-12-02' }));
    expect((await govflow(chair, 'policy', 'impact')).code).toBe(2);

    // In Markdown, started as the papers of the committee item that approves the change.
    const itemKey = `POLICY-CLI-${randomUUID().slice(0, 6)}`;
    const member = await stack.api.tokenFor('cli-chair-requester', 'committee_chair', 'requester');
    const md = await govflow(member, 'policy', 'impact', '--dir', draft, '--as-of', '2026-12-01', '--format', 'markdown', '--committee', itemKey, '--title', 'EU AI Act as amended');
    expect(md.code, md.stderr).toBe(1);
    expect(md.stdout).toMatch(/^# Policy impact of draft .+, as of 2026-12-01\n/);
    expect(md.stdout).toContain('- **flagged** · obligation date · `annex_iii_high_risk`: ');
    expect(md.stderr).toContain(`committee item committee-approval/${itemKey} started with the impact report as its papers`);
    const item = await stack.api.call('GET', `/committee-approvals/${itemKey}`, { token: member });
    // The papers are the printed report, or as much of it as a committee item holds (the database is shared).
    const papers = item.body.subject.summary as string;
    if (papers !== md.stdout.trim()) expect(papers).toMatch(/more entr(y|ies) left out here/);
    expect(papers).toMatch(/^# Policy impact of draft .+, as of 2026-12-01\n/);
    expect((await govflow(chair, 'policy', 'impact', '--dir', draft, '--format', 'yaml')).code).toBe(2);
  });

  it('keeps deciding when the database refuses a record, shows the failure, and writes it again on `record retry`', async () => {
    const title = `REFUSED-${randomUUID().slice(0, 8)}`;
    // A constraint the data breaks (as a NUL byte did before the API refused it): permanent, so never retried alone.
    const fn = `refuse_${title.slice(8).replace(/-/g, '')}`;
    await stack.db.$executeRawUnsafe(`CREATE FUNCTION ${fn}() RETURNS trigger AS $$ BEGIN IF NEW.title = '${title}' THEN RAISE EXCEPTION 'title refused' USING ERRCODE = 'check_violation'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`);
    await stack.db.$executeRawUnsafe(`CREATE TRIGGER ${fn} BEFORE INSERT OR UPDATE ON "Process" FOR EACH ROW EXECUTE FUNCTION ${fn}()`);
    try {
      const requester = await stack.api.tokenFor('cli-rita', 'requester');
      const started = await stack.api.call('POST', '/committee-approvals', { token: requester, body: { businessKey: title, title, summary: 'x', urgent: true, urgencyReason: 'now' } });
      expect(started.status, JSON.stringify(started.body)).toBe(201);
      const workflowId = started.body.workflowId as string;
      const failed = await waitFor('the failed record', async () => {
        const s = await stack.api.call('GET', `/committee-approvals/${title}`, { token: requester });
        return s.body.record?.status === 'failed' ? s.body.record : null;
      });
      expect(failed.error).toMatch(/^23514: title refused/);
      // The process keeps deciding while its record waits.
      const member = await stack.api.tokenFor('cli-cleo', 'committee_member');
      const voted = await stack.api.call('POST', `/committee-approvals/${title}/votes`, { token: member, body: { ballot: 'approve' } });
      expect(voted.status, JSON.stringify(voted.body)).toBe(200);
      const listed = await waitFor('the record list', async () => {
        const out = await govflow(adminToken, 'record', 'list');
        return (JSON.parse(out.stdout) as { items: { workflowId: string; error: string }[] }).items.find((i) => i.workflowId === workflowId);
      });
      expect(listed.error).toMatch(/23514/);
      expect(await stack.db.process.findUnique({ where: { workflowId } })).toBeNull();

      await stack.db.$executeRawUnsafe(`DROP TRIGGER ${fn} ON "Process"`);
      const retried = await govflow(adminToken, 'record', 'retry', workflowId);
      expect(retried.code, retried.stderr).toBe(0);
      await waitFor('the record to catch up', async () => (await stack.db.recordStatus.findUnique({ where: { workflowId } }))?.status === 'ok');
      const row = await stack.db.process.findUniqueOrThrow({ where: { workflowId } });
      expect(row.title).toBe(title);
      expect((await stack.api.call('GET', `/committee-approvals/${title}`, { token: requester })).body.record).toEqual({ status: 'ok' });
      expect(await stack.db.decision.count({ where: { workflowId } })).toBe(1);
    } finally {
      await stack.db.$executeRawUnsafe(`DROP TRIGGER IF EXISTS ${fn} ON "Process"`);
      await stack.db.$executeRawUnsafe(`DROP FUNCTION IF EXISTS ${fn}()`);
    }
  });
});
