import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { markedAdrFile } from '../../domain/adr/file-mark.js';
import type { Db } from '../../platform/database.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { privateDb } from '../support/db.js';
import { devServerEnv, testWorker } from '../support/temporal.js';
import { technologyProposal } from '../support/proposals.js';

/**
 * A local stand-in for the few GitHub REST endpoints the activity uses (refs, contents, pulls), keeping branches as
 * maps of path → text, so the test sees exactly what a pull request would bring.
 */
class FakeGithub {
  readonly branches = new Map<string, Map<string, string>>([['main', new Map()]]);
  readonly pulls: { number: number; head: string; base: string; title: string; body: string; state: 'open' | 'closed' }[] = [];
  refuseWith: number | null = null;
  refused = 0;
  server: Server = createServer((req, res) => void this.handle(req).then(([status, body]) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))));
  url = '';

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private async handle(req: IncomingMessage): Promise<[number, unknown]> {
    if (req.headers.authorization !== 'Bearer gh-test-token') return [401, { message: 'Bad credentials' }];
    if (this.refuseWith) {
      this.refused++;
      return [this.refuseWith, { message: 'Resource not accessible by integration' }];
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString()) as Record<string, string>) : {};
    const url = new URL(req.url!, this.url);
    const route = `${req.method} ${url.pathname}`;
    const sha = (text: string) => createHash('sha1').update(text).digest('hex');
    let m: RegExpExecArray | null;
    if ((m = /^GET \/repos\/acme\/architecture\/git\/ref\/heads\/(.+)$/.exec(route))) {
      return this.branches.has(m[1]!) ? [200, { object: { sha: `head-of-${m[1]}` } }] : [404, { message: 'Not Found' }];
    }
    if (route === 'POST /repos/acme/architecture/git/refs') {
      const name = body.ref!.replace('refs/heads/', '');
      if (this.branches.has(name)) return [422, { message: 'Reference already exists' }];
      this.branches.set(name, new Map(this.branches.get(body.sha!.replace('head-of-', ''))));
      return [201, { ref: body.ref }];
    }
    if ((m = /^(GET|PUT) \/repos\/acme\/architecture\/contents\/(.+)$/.exec(route))) {
      const path = decodeURIComponent(m[2]!);
      if (m[1] === 'GET') {
        const text = this.branches.get(url.searchParams.get('ref')!)?.get(path);
        return text === undefined ? [404, { message: 'Not Found' }] : [200, { sha: sha(text), content: Buffer.from(text).toString('base64').replace(/(.{60})/g, '$1\n'), encoding: 'base64' }];
      }
      const files = this.branches.get(body.branch!)!;
      const existing = files.get(path);
      if (existing !== undefined && body.sha !== sha(existing)) return [409, { message: 'sha does not match' }];
      files.set(path, Buffer.from(body.content!, 'base64').toString('utf8'));
      return [existing === undefined ? 201 : 200, { content: { path } }];
    }
    if (route === 'GET /repos/acme/architecture/pulls') {
      const head = url.searchParams.get('head')!.replace('acme:', '');
      return [200, this.pulls.filter((p) => p.state === url.searchParams.get('state') && p.head === head).map((p) => ({ number: p.number, html_url: `https://github.example/acme/architecture/pull/${p.number}` }))];
    }
    if (route === 'POST /repos/acme/architecture/pulls') {
      const pr = { number: this.pulls.length + 1, head: body.head!, base: body.base!, title: body.title!, body: body.body!, state: 'open' as const };
      this.pulls.push(pr);
      return [201, { number: pr.number, html_url: `https://github.example/acme/architecture/pull/${pr.number}` }];
    }
    return [404, { message: `no fake for ${route}` }];
  }

  /** The pull request is merged: its branch's files become the base branch's. */
  merge(number: number): void {
    const pr = this.pulls.find((p) => p.number === number)!;
    this.branches.set(pr.base, new Map(this.branches.get(pr.head)));
    pr.state = 'closed';
  }
}

const github = new FakeGithub();
const suffix = randomUUID().slice(0, 6);
const taskQueue = `adr-pull-request-${suffix}`;
let env: TestWorkflowEnvironment;
let db: Db;
let dropDb: () => Promise<void>;
let worker: Worker;
let running: Promise<void>;
let api: TestApi;
let token: string;

beforeAll(async () => {
  await github.start();
  env = await devServerEnv();
  // A database of its own: decisions closed by files running beside it would change what the pull request proposes.
  ({ db, drop: dropDb } = await privateDb());
  const adrGithub = { apiUrl: github.url, repo: 'acme/architecture', token: 'gh-test-token', baseBranch: 'main', dir: 'docs/adr' };
  worker = await testWorker(env, db, taskQueue, { activities: createActivities({ db, adrGithub }) });
  running = worker.run();
  api = await startTestApi(env, db, taskQueue, { ADR_GITHUB_REPO: 'acme/architecture', ADR_GITHUB_TOKEN: 'gh-test-token', ADR_GITHUB_API_URL: github.url });
  token = await api.tokenFor(`rita-${suffix}`, 'requester');
});

afterAll(async () => {
  await api?.close();
  worker?.shutdown();
  await running;
  await dropDb?.();
  await env?.teardown();
  github.server.close();
});

const technology = `Search engine ${suffix}`;
async function decideProposal(key: string, score: number): Promise<void> {
  const input = technologyProposal(technology, score);
  const res = await api.call('POST', '/evaluations/technology-proposals', { token, body: { businessKey: key, title: `Proposal ${key}`, input } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

/** Our ADR in the collection's listing. */
async function ours(key: string): Promise<{ fileName: string; workflowId: string; markdown: string }> {
  const list = await api.call('GET', '/adrs', { token });
  return list.body.items.find((i: { workflowId: string }) => i.workflowId === `technology-proposal-evaluation/${key}`);
}

describe('ADR pull requests through the GitHub API', () => {
  const first = `TP-${suffix}-1`;
  const second = `TP-${suffix}-2`;

  it('opens one pull request with the files as adr sync writes them, and finds it again instead of opening another', async () => {
    await decideProposal(first, 7);
    const res = await api.call('POST', '/adrs/pull-requests', { token, body: {} });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const adr = await ours(first);
    expect(res.body).toMatchObject({ repository: 'acme/architecture', pullRequest: { number: 1, url: 'https://github.example/acme/architecture/pull/1' }, branch: expect.stringMatching(/^govflow\/adrs-[0-9a-f]{12}$/) });
    expect(res.body.written).toEqual([adr.fileName]);
    expect(github.branches.get(res.body.branch)!.get(`docs/adr/${adr.fileName}`)).toBe(markedAdrFile(adr.markdown, adr.workflowId));
    expect(github.branches.get('main')!.size).toBe(0);
    expect(github.pulls[0]).toMatchObject({ base: 'main', head: res.body.branch, title: expect.stringContaining('decision record') });
    expect(github.pulls[0]!.body).toContain(`docs/adr/${adr.fileName}`);

    const again = await api.call('POST', '/adrs/pull-requests', { token, body: {} });
    expect(again.body.pullRequest.number).toBe(1);
    expect(github.pulls).toHaveLength(1);
  });

  it('proposes nothing once merged, and keeps a file a person edited on the base branch', async () => {
    github.merge(1);
    const merged = await api.call('POST', '/adrs/pull-requests', { token, body: {} });
    const firstFile = (await ours(first)).fileName;
    expect(merged.body).toMatchObject({ pullRequest: null, branch: null, written: [], unchanged: [firstFile], kept: [] });

    const path = `docs/adr/${firstFile}`;
    const edited = `${github.branches.get('main')!.get(path)}\nA note from the team.\n`;
    github.branches.get('main')!.set(path, edited);
    // A later proposal about the same technology supersedes the first: its ADR would change, but a person edited it.
    await decideProposal(second, 9);
    const res = await api.call('POST', '/adrs/pull-requests', { token, body: {} });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const adr = await ours(second);
    expect(res.body).toMatchObject({ kept: [firstFile], written: [adr.fileName], pullRequest: { number: 2 } });
    const branch = github.branches.get(res.body.branch)!;
    expect(branch.get(path)).toBe(edited);
    expect(branch.get(`docs/adr/${adr.fileName}`)).toContain(`This decision supersedes [${firstFile.replace('.md', '')}]`);
    expect(github.pulls.at(-1)!.body).toContain(`Left as a person edited them: \`${firstFile}\``);
  });

  it("answers 503 with GitHub's refusal, without retrying it", async () => {
    github.refuseWith = 403;
    await decideProposal(`TP-${suffix}-3`, 6);
    const res = await api.call('POST', '/adrs/pull-requests', { token, body: {} });
    github.refuseWith = null;
    expect(res.status).toBe(503);
    expect(res.body.detail).toContain('GitHub answered 403 to GET /repos/acme/architecture/git/ref/heads/main');
    expect(github.refused).toBe(1);
  });
});
