import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { TechRadarLoaderResponseParser, type TechRadarLoaderResponse } from '@backstage-community/plugin-tech-radar-common';
import { Log4brains } from '@log4brains/core';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { MADR_SECTIONS } from '../../domain/adr/madr.js';
import type { TechRadar } from '../../domain/radar/tech-radar.js';
import { backstageRadarSchema } from '../support/backstage-radar.js';
import { defaultPolicy } from '../support/policy.js';
import { waitFor } from '../support/processes.js';
import { useApiStack } from '../support/stack.js';
import { technologyProposal } from '../support/proposals.js';

const stack = useApiStack('decision-records');
const run = promisify(execFile);
const suffix = randomUUID().slice(0, 6);
const tokens: Record<string, string> = {};
const REVIEWERS = ['technical_lead', 'enterprise_architect', 'security_architect', 'domain_expert'] as const;

// Compile-time check: govflow's radar is a Backstage TechRadarLoaderResponse (fails `npm run typecheck` if they drift).
const asBackstage = (radar: TechRadar): TechRadarLoaderResponse => radar;

beforeAll(async () => {
  tokens.requester = await stack.api.tokenFor(`rita-${suffix}`, 'requester');
  for (const role of REVIEWERS) tokens[role] = await stack.api.tokenFor(`${role}-${suffix}`, role);
  tokens.admin = await stack.api.tokenFor(`adr-admin-${suffix}`, 'admin');
});

async function govflow(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', path.resolve('scripts/govflow.ts'), ...args], { env: { ...process.env, GOVFLOW_URL: stack.api.url, GOVFLOW_TOKEN: tokens.admin! } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Starts an architecture review and votes it closed; the technical lead approves with a condition. */
async function decidedReview(key: string, title: string, extra: Record<string, unknown> = {}): Promise<void> {
  const policy = await defaultPolicy();
  const started = await stack.api.call('POST', '/architecture-reviews', {
    token: tokens.requester,
    body: { businessKey: key, title, trigger: 'new_system_design', systemDescription: `Event-sourced core for ${title}`, evidence: ['https://wiki.example.com/adr/42'], ...extra },
  });
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  for (const role of REVIEWERS) {
    const conditional = role === 'technical_lead';
    const rulings = Object.fromEntries(policy.architectureReview.approvalCriteria.map((c, i) => [c, conditional && i === 1 ? 'approve_with_conditions' : 'approve']));
    const body = conditional ? { role, rulings, justification: 'capacity plan needed', conditions: ['load test at 10x before go-live'] } : { role, rulings };
    const voted = await stack.api.call('POST', `/architecture-reviews/${key}/votes`, { token: tokens[role], body });
    expect(voted.status, JSON.stringify(voted.body)).toBe(200);
  }
  await waitFor(`the ADR of ${key}`, async () => (await stack.api.call('GET', `/architecture-reviews/${key}/adr`, { token: tokens.requester })).status === 200);
}

const adrText = async (key: string) => {
  const res = await fetch(`${stack.api.url}/architecture-reviews/${key}/adr`, { headers: { authorization: `Bearer ${tokens.requester}` } });
  expect(res.headers.get('content-type')).toMatch(/^text\/markdown/);
  return res.text();
};

/** The ADR's title, header list (Log4brains' metadata) and level-2 sections with their text. */
function parseMadr(markdown: string) {
  const lines = markdown.split('\n');
  expect(lines[0]).toMatch(/^# \S/);
  const header = Object.fromEntries(lines.slice(1, lines.findIndex((l) => l.startsWith('## '))).filter((l) => l.startsWith('- ')).map((l) => l.slice(2).split(/:\s(.*)/s).slice(0, 2) as [string, string]));
  const sections: Record<string, string> = {};
  let current: string | null = null;
  for (const l of lines) {
    if (l.startsWith('## ')) sections[(current = l.slice(3))] = '';
    else if (current) sections[current] += `${l}\n`;
  }
  return { title: lines[0]!.slice(2), header, sections };
}

describe('architecture decision records', () => {
  const first = `ARCH-${suffix}-1`;
  const second = `ARCH-${suffix}-2`;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'govflow-adr-'));
  const fileOf = (key: string, listing: string) => listing.split('\n').find((l) => l.includes(`-payments-${key.toLowerCase()}`))?.replace(/^\w+ /, '');

  it("renders a closed review's ADR as MADR 4, with rulings, conditions and a working receipt link", async () => {
    await decidedReview(first, `Payments ${first}`);
    const markdown = await adrText(first);
    const { title, header, sections } = parseMadr(markdown);
    expect(title).toBe(`Payments ${first}`);
    expect(header).toMatchObject({ Status: 'accepted', Date: new Date().toISOString().slice(0, 10), Deciders: expect.stringContaining(`security_architect-${suffix}`) });
    expect(Object.keys(sections)).toEqual([...MADR_SECTIONS]);
    expect(sections['Context and Problem Statement']).toContain(`Event-sourced core for Payments ${first}`);
    expect(sections['Decision Drivers']).toContain('Principle scalability');
    expect(sections['Decision Outcome']).toMatch(/Chosen option: "The design as proposed: Payments .*", because approved with conditions/);
    expect(sections['Decision Outcome']).toContain('### Confirmation');
    expect(sections['Decision Outcome']).toContain('* load test at 10x before go-live');
    const perCriterion = sections['More Information']!.split('### Rulings per criterion')[1]!.split('###')[0]!.split('\n').filter((l) => l.startsWith('| '));
    // Header row, then one row per approval criterion with a ruling per reviewer.
    expect(perCriterion).toHaveLength(1 + (await defaultPolicy()).architectureReview.approvalCriteria.length);
    expect(perCriterion[2]).toContain('approve_with_conditions');
    expect(sections['More Information']).toContain(`| technical_lead-${suffix} | technical_lead | approve_with_conditions | capacity plan needed | load test at 10x before go-live |`);
    const receipt = /Decision receipt \(signed, verifiable\): \[([^\]]+)\]/.exec(markdown)?.[1];
    expect(receipt).toContain('/audit/receipts/');
    const signed = await fetch(receipt!, { headers: { authorization: `Bearer ${tokens.admin}` } });
    expect(signed.status).toBe(200);
    expect(((await signed.json()) as { eventKey: string }).eventKey).toMatch(/^architecture-review\//);
  });

  it('syncs the collection into a folder idempotently, keeps a hand-edited file, and updates both files on supersession', async () => {
    const synced = await govflow('adr', 'sync', '--dir', dir);
    expect(synced.code, synced.stderr).toBe(0);
    const firstFile = fileOf(first, synced.stdout)!;
    expect(synced.stdout).toContain(`created ${firstFile}`);
    const written = readFileSync(firstFile, 'utf8');
    expect(written.startsWith(await adrText(first))).toBe(true);

    const again = await govflow('adr', 'sync', '--dir', dir);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`unchanged ${firstFile}`);
    expect(readFileSync(firstFile, 'utf8')).toBe(written);

    const refused = await stack.api.call('POST', '/architecture-reviews', { token: tokens.requester, body: { businessKey: `ARCH-${suffix}-x`, title: 'x', trigger: 'new_system_design', systemDescription: 'x', evidence: [], supersedes: `NO-SUCH-${suffix}` } });
    expect(refused.status).toBe(400);
    expect(refused.body.errors.map((e: { path: string }) => e.path)).toContain('supersedes');

    await decidedReview(second, `Payments ${second}`, { supersedes: first });
    const { header } = parseMadr(await adrText(first));
    const secondName = path.basename(fileOf(second, (await govflow('adr', 'sync', '--dir', mkdtempSync(path.join(os.tmpdir(), 'govflow-adr-')))).stdout)!, '.md');
    expect(header.Status).toBe(`superseded by [${secondName}](${secondName}.md)`);
    expect(await adrText(second)).toContain(`This decision supersedes [${path.basename(firstFile, '.md')}](${path.basename(firstFile)})`);

    const updated = await govflow('adr', 'sync', '--dir', dir);
    expect(updated.code, updated.stderr).toBe(0);
    expect(updated.stdout).toContain(`updated ${firstFile}`);
    expect(updated.stdout).toContain(`created ${path.join(dir, `${secondName}.md`)}`);
    expect(readFileSync(firstFile, 'utf8')).toContain('- Status: superseded by');

    // Log4brains reads the folder as it is: titles, statuses, the supersession, deciders and dates.
    const repo = mkdtempSync(path.join(os.tmpdir(), 'govflow-l4b-'));
    mkdirSync(path.join(repo, 'docs'));
    cpSync(dir, path.join(repo, 'docs', 'adr'), { recursive: true });
    writeFileSync(path.join(repo, '.log4brains.yml'), 'project:\n  name: govflow test\n  tz: Etc/UTC\n  adrFolder: ./docs/adr\n');
    const read = await Log4brains.create(repo).searchAdrs();
    const firstSlug = path.basename(firstFile, '.md');
    expect(read.find((a) => a.slug === firstSlug)).toMatchObject({ title: `Payments ${first}`, status: 'superseded', supersededBy: secondName, tags: ['architecture-review', 'architecture'] });
    expect(read.find((a) => a.slug === secondName)).toMatchObject({ title: `Payments ${second}`, status: 'accepted', supersededBy: null, publicationDate: expect.stringMatching(new RegExp(`^${new Date().toISOString().slice(0, 10)}`)) });
    expect(read.find((a) => a.slug === secondName)!.deciders).toContain(`domain_expert-${suffix}`);

    // A person's edit is kept and named, not overwritten.
    const edited = `${readFileSync(firstFile, 'utf8')}\nA note from the team.\n`;
    writeFileSync(firstFile, edited);
    const kept = await govflow('adr', 'sync', '--dir', dir);
    expect(kept.code).toBe(1);
    expect(kept.stdout).toContain(`kept (edited by hand since govflow wrote it; --force overwrites) ${firstFile}`);
    expect(kept.stderr).toContain(path.basename(firstFile));
    expect(readFileSync(firstFile, 'utf8')).toBe(edited);
  });

  it("records a technical decision's options with their weighted scores and the chosen one", async () => {
    const policy = await defaultPolicy();
    const factors = policy.decisionCriteria.criteria.flatMap((c) => c.factors);
    const scores = (s: number) => Object.fromEntries(factors.map((f) => [f, s]));
    const key = `TD-${suffix}`;
    const res = await stack.api.call('POST', '/evaluations/technical-decisions', {
      token: tokens.requester,
      body: { businessKey: key, title: `Event store ${suffix}`, input: { decision: 'Which event store for the payments core?', options: [{ name: 'Kafka', description: 'Managed Kafka with tiered storage', scores: scores(8) }, { name: 'PostgreSQL outbox', scores: scores(6) }] } },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const md = await (await fetch(`${stack.api.url}/evaluations/technical-decisions/${key}/adr`, { headers: { authorization: `Bearer ${tokens.requester}` } })).text();
    const { header, sections } = parseMadr(md);
    expect(header.Status).toBe('accepted');
    expect(Object.keys(sections)).toEqual([...MADR_SECTIONS]);
    const kafka = res.body.result.options.find((o: { name: string }) => o.name === 'Kafka').total;
    expect(sections['Considered Options']).toContain(`* Kafka (weighted score ${kafka} of ${policy.decisionCriteria.scale.max})`);
    expect(sections['Considered Options']).toContain('* PostgreSQL outbox (weighted score');
    expect(sections['Decision Drivers']).toContain(`strategic alignment (weight ${policy.decisionCriteria.criteria[0]!.weight})`);
    expect(sections['Decision Outcome']).toContain('Chosen option: "Kafka", because');
    expect(sections['Pros and Cons of the Options']).toContain('Managed Kafka with tiered storage. Ranked 1 of 2.');
  });

  it('answers 404 for an open review', async () => {
    const key = `ARCH-${suffix}-open`;
    await stack.api.call('POST', '/architecture-reviews', { token: tokens.requester, body: { businessKey: key, title: 'open', trigger: 'new_system_design', systemDescription: 'x', evidence: [] } });
    expect((await stack.api.call('GET', `/architecture-reviews/${key}/adr`, { token: tokens.requester })).status).toBe(404);
  });

  it('refuses a pull request when no GitHub repository is configured', async () => {
    const res = await stack.api.call('POST', '/adrs/pull-requests', { token: tokens.requester, body: {} });
    expect(res.status).toBe(409);
    expect(res.body.detail).toContain('ADR_GITHUB_REPO');
  });
});

describe('the technology radar', () => {
  const technology = `Vector store ${suffix}`;
  const proposal = (score: number) => technologyProposal(technology, score, 'database');

  it("is a valid Backstage TechRadarLoaderResponse and shows the entry's move after an approved proposal", async () => {
    const trial = await stack.api.call('POST', '/evaluations/technology-proposals', { token: tokens.requester, body: { businessKey: `TP-${suffix}-1`, title: 'Pilot it', input: proposal(7) } });
    expect(trial.status, JSON.stringify(trial.body)).toBe(201);
    expect(trial.body.result.radar.ring).toBe('trial');
    const adopt = await stack.api.call('POST', '/evaluations/technology-proposals', { token: tokens.requester, body: { businessKey: `TP-${suffix}-2`, title: 'Adopt it', input: proposal(9), supersedes: `TP-${suffix}-1` } });
    expect(adopt.body.outcome).toBe('approved');
    expect(adopt.body.result.radar.ring).toBe('adopt');

    const res = await stack.api.call('GET', '/tech-radar', { token: tokens.requester });
    expect(res.status).toBe(200);
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(backstageRadarSchema());
    expect(validate(res.body), ajv.errorsText(validate.errors)).toBe(true);
    const parsed = TechRadarLoaderResponseParser.parse(res.body);
    expect(parsed.rings.map((r) => r.id)).toEqual(['adopt', 'trial', 'assess', 'hold']);

    const entry = parsed.entries.find((e) => e.title === technology)!;
    expect(entry.quadrant).toBe('platforms');
    expect(entry.timeline.map((t) => t.ringId)).toEqual(['adopt', 'trial']);
    expect(entry.timeline[0]!.moved).toBe(1);
    expect(entry.timeline[0]!.date.getTime()).toBeGreaterThanOrEqual(entry.timeline[1]!.date.getTime());
    expect(entry.links!.map((l) => l.title)).toEqual([`Decision record TP-${suffix}-2`, 'Decision receipt', 'In govflow']);
    expect(asBackstage({ ...res.body, entries: res.body.entries.map((e: TechRadar['entries'][number]) => ({ ...e, timeline: e.timeline.map((t) => ({ ...t, date: new Date(t.date) })) })) }).entries.length).toBe(parsed.entries.length);

    // The proposal's ADR: the adopted one supersedes the trial.
    const md = await (await fetch(`${stack.api.url}/evaluations/technology-proposals/TP-${suffix}-2/adr`, { headers: { authorization: `Bearer ${tokens.requester}` } })).text();
    expect(md).toContain(`Chosen option: "Adopt ${technology} (radar: adopt)"`);
    expect(md).toMatch(/This decision supersedes \[\d{4}-pilot-it\]/);
  });
});
