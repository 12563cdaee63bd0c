import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { withdrawUpdate } from '../../workflows/contracts/common.js';
import { createScratchDatabase } from '../support/db.js';
import { CuttableProxy, freePort, spawnEntry, stablePorts, waitFor, type Child } from '../support/processes.js';

/** `npm start` as a user runs it: embedded Temporal dev server and PGlite, persisted under DATA_DIR. */

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'govflow-start-'));
const children: Child[] = [];

function run(script: string, env: Record<string, string>): Child {
  const c = spawnEntry(script, { LOG_LEVEL: 'info', ...env });
  children.push(c);
  return c;
}

async function waitReady(url: string, output: () => string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.status === 200) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`not ready in time:\n${output()}`);
}

afterAll(async () => {
  await Promise.all(children.map((c) => c.kill()));
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start (embedded defaults)', () => {
  it('runs API and Temporal, stops cleanly on one signal, and keeps every process and row across a restart', async () => {
    // The restart below reuses these ports: take them outside the range other processes' random ports come from.
    const [port, devPort, uiPort, dbPort] = await stablePorts(4);
    const env = { DATA_DIR: dataDir, PORT: String(port), TEMPORAL_DEV_PORT: String(devPort), TEMPORAL_UI_PORT: String(uiPort), EMBEDDED_DB_PORT: String(dbPort) };
    const url = `http://127.0.0.1:${port}`;

    const first = run('scripts/start.ts', env);
    await waitReady(url, first.output);
    expect((await fetch(`http://127.0.0.1:${uiPort}/`)).status).toBe(200); // the Temporal Web UI

    // It prints where to open the web app and a one-time sign-in link that works.
    const link = await waitFor('the sign-in link', async () => /Sign in as admin[^:]*: (\S+)/.exec(first.output())?.[1]);
    expect(first.output()).toContain(`Open the web app: ${url}/app/`);
    expect((await fetch(`${url}/app/`)).headers.get('content-type')).toMatch(/^text\/html/);
    const signIn = await fetch(`${url}/app/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `token=${link.split('/').pop()}` });
    expect(signIn.status).toBe(303);

    const admin = readFileSync(path.join(dataDir, 'admin-token'), 'utf8').trim();
    const post = (p: string, token: string, body: unknown) =>
      fetch(`${url}${p}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const created = await post('/principals', admin, { id: 'rita', roles: ['requester'] });
    expect(created.status).toBe(201);
    const rita = ((await created.json()) as { token: string }).token;
    const started = await post('/architecture-reviews', rita, {
      businessKey: 'ARCH-PERSIST-1',
      title: 'Survives a restart',
      trigger: 'new_system_design',
      systemDescription: 'x',
    });
    expect(started.status).toBe(201);

    // One Ctrl-C in a terminal: SIGINT to the process group, and relayed once more by npm/tsx moments later.
    first.child.kill('SIGINT');
    setTimeout(() => first.child.kill('SIGINT'), 30);
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain('stopped cleanly');

    const second = run('scripts/start.ts', env);
    await waitReady(url, second.output);
    const state = await fetch(`${url}/architecture-reviews/ARCH-PERSIST-1`, { headers: { authorization: `Bearer ${rita}` } });
    expect(state.status).toBe(200);
    expect(((await state.json()) as { stage: string }).stage).toBe('in_review');
    const list = await fetch(`${url}/architecture-reviews`, { headers: { authorization: `Bearer ${rita}` } });
    expect(((await list.json()) as { items: { businessKey: string }[] }).items.map((i) => i.businessKey)).toContain('ARCH-PERSIST-1');

    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 240_000);

  it('comes up on its own after kill -9: stops the dev server it left running, recovers the database, and counts every retried vote once', async () => {
    const [port, devPort, uiPort, dbPort] = await stablePorts(4);
    const crashDir = mkdtempSync(path.join(os.tmpdir(), 'govflow-crash-'));
    const env = { DATA_DIR: crashDir, PORT: String(port), TEMPORAL_DEV_PORT: String(devPort), TEMPORAL_UI_PORT: String(uiPort), EMBEDDED_DB_PORT: String(dbPort), API_RATE_LIMIT_PER_MINUTE: '100000' };
    const url = `http://127.0.0.1:${port}`;
    try {
      const first = run('scripts/start.ts', env);
      await waitReady(url, first.output);
      const admin = readFileSync(path.join(crashDir, 'admin-token'), 'utf8').trim();
      const post = (p: string, token: string, body: unknown, key?: string) =>
        fetch(`${url}${p}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) }, body: JSON.stringify(body) });
      const tokenOf = async (id: string, role: string) => ((await (await post('/principals', admin, { id, roles: [role] })).json()) as { token: string }).token;
      const rita = await tokenOf('rita', 'requester');
      const roles = ['technical_lead', 'enterprise_architect', 'security_architect', 'domain_expert'];
      const voters = await Promise.all(roles.map((role) => tokenOf(role.replace(/_/g, '-'), role)));
      expect((await post('/architecture-reviews', rita, { businessKey: 'ARCH-CRASH-1', title: 'Survives kill -9', trigger: 'new_system_design', systemDescription: 'x' })).status).toBe(201);
      const { current } = (await (await fetch(`${url}/policies`, { headers: { authorization: `Bearer ${rita}` } })).json()) as { current: { architectureReview: { approvalCriteria: string[] } } };
      const rulings = Object.fromEntries(current.architectureReview.approvalCriteria.map((k) => [k, 'approve']));
      const vote = (i: number) => post('/architecture-reviews/ARCH-CRASH-1/votes', voters[i]!, { role: roles[i], rulings }, `crash-vote-${i}`);
      // Half the votes are in, then the whole of `npm start` is killed at once (the dev server, in its own group, survives).
      for (const i of [0, 1]) expect((await vote(i)).status).toBe(200);
      await first.kill('SIGKILL');
      const leftover = JSON.parse(readFileSync(path.join(crashDir, 'temporal-dev.pid'), 'utf8')) as { pid: number };
      expect(() => process.kill(leftover.pid, 0)).not.toThrow();

      const second = run('scripts/start.ts', env);
      await waitReady(url, second.output);
      expect(second.output()).toContain(`earlier govflow left running (pid ${leftover.pid})`);
      // Every vote again with its Idempotency-Key: the two counted before the crash are answered, not counted twice.
      for (const i of [0, 1, 2, 3]) expect((await vote(i)).status).toBe(200);
      const state = await waitFor('the decision', async () => {
        const s = (await (await fetch(`${url}/architecture-reviews/ARCH-CRASH-1`, { headers: { authorization: `Bearer ${rita}` } })).json()) as { outcome: string | null; votes: unknown[] };
        return s.outcome ? s : null;
      });
      expect(state.outcome).toBe('approved');
      expect(state.votes).toHaveLength(4);
      const verified = (await (await fetch(`${url}/audit/verify`, { headers: { authorization: `Bearer ${admin}` } })).json()) as { ok: boolean };
      expect(verified.ok).toBe(true);
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    } finally {
      rmSync(crashDir, { recursive: true, force: true });
    }
  }, 240_000);

  it('stops on one Ctrl-C, within its grace period, with a failing webhook and a database outage in progress', async () => {
    const [port, devPort, uiPort] = await stablePorts(3);
    const scratch = await createScratchDatabase('govflow_shutdown');
    const target = new URL(scratch.url);
    const proxy = new CuttableProxy(await freePort(), { host: target.hostname, port: Number(target.port || 5432) });
    await proxy.up();
    const proxied = new URL(scratch.url);
    proxied.port = String(proxy.port);
    let webhookCalls = 0;
    const webhook = createHttpServer((_req, res) => {
      webhookCalls++;
      res.writeHead(500).end();
    }).listen(0, '127.0.0.1');
    await once(webhook, 'listening');
    const shutdownDir = mkdtempSync(path.join(os.tmpdir(), 'govflow-shutdown-'));
    const admin = 'shutdown-test-admin-token-0123456789';
    const url = `http://127.0.0.1:${port}`;
    try {
      const r = run('scripts/start.ts', {
        DATA_DIR: shutdownDir, PORT: String(port), TEMPORAL_DEV_PORT: String(devPort), TEMPORAL_UI_PORT: String(uiPort),
        DATABASE_URL: proxied.toString(), NOTIFICATION_WEBHOOK_URL: `http://127.0.0.1:${(webhook.address() as { port: number }).port}/hook`,
        NOTIFICATION_WEBHOOK_SECRETS: 'start-test-secret-0123456789abcdef',
        SHUTDOWN_GRACE_SECONDS: '2', GOVFLOW_BOOTSTRAP_TOKEN: admin,
      });
      await waitReady(url, r.output);
      const post = (p: string, token: string, body: unknown) =>
        fetch(`${url}${p}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const rita = ((await (await post('/principals', admin, { id: 'rita', roles: ['requester'] })).json()) as { token: string }).token;
      expect((await post('/principals', admin, { id: 'tom', roles: ['technical_lead'] })).status).toBe(201);
      for (const key of ['SHUT-1', 'SHUT-2']) {
        expect((await post('/architecture-reviews', rita, { businessKey: key, title: 'Stops in time', trigger: 'new_system_design', systemDescription: 'x' })).status).toBe(201);
      }
      // A delegation notifies the delegate (a withdrawal notifies nobody: the requester withdrew it themselves), and
      // the notice goes to a webhook that answers 500: its delivery is being retried when the stack is stopped.
      expect((await post('/architecture-reviews/SHUT-1/delegate', admin, { role: 'technical_lead', to: 'tom', reason: 'testing shutdown' })).status).toBe(200);
      await waitFor('the webhook to be called', async () => webhookCalls > 0);
      // Then the database goes away while a process changes: its record write is being retried.
      await proxy.cut();
      const temporal = await Connection.connect({ address: `127.0.0.1:${devPort}` });
      await new Client({ connection: temporal }).workflow.getHandle('architecture-review/SHUT-2').executeUpdate(withdrawUpdate, { args: [{ actor: { id: 'rita', kind: 'person', roles: ['requester'] }, reason: 'db is away' }] });
      await temporal.close();

      const stopping = Date.now();
      r.child.kill('SIGINT');
      setTimeout(() => r.child.kill('SIGINT'), 30); // relayed once more, as a terminal does
      expect(await r.exited, r.output()).toBe(0);
      expect(r.output()).toMatch(/"msg":"stopped/);
      // Exit 0: the 28 s backstop (scripts/start.ts) did not fire. The worker drains for its 2 s of grace (+2 s to
      // cancel), the API, database, connection and dev server stop in moments: about 5 s, far from any step's bound.
      expect(Date.now() - stopping, r.output()).toBeLessThan(20_000);
    } finally {
      webhook.close();
      await proxy.cut();
      await scratch.drop();
      rmSync(shutdownDir, { recursive: true, force: true });
    }
  }, 180_000);

  it('stops with one clear line when another process holds a port it needs', async () => {
    const [devPort, uiPort] = await stablePorts(2);
    const holder = createServer().listen(devPort, '127.0.0.1');
    await once(holder, 'listening');
    try {
      const r = run('scripts/start.ts', { DATA_DIR: dataDir, TEMPORAL_DEV_PORT: String(devPort), TEMPORAL_UI_PORT: String(uiPort) });
      expect(await r.exited).toBe(1);
      expect(r.output()).toMatch(new RegExp(`govflow: Port ${devPort} on 127\\.0\\.0\\.1 \\(the Temporal dev server\\) is in use by another process; stop it, or set TEMPORAL_DEV_PORT`));
      expect(r.output()).not.toMatch(/\n\s+at /);
    } finally {
      holder.close();
    }
  }, 60_000);

  it.each([
    ['a malformed variable', { PORT: 'eighty', TEMPORAL_TLS: 'maybe' }, /Invalid configuration:\n {2}PORT="eighty": expected a TCP port number\n {2}TEMPORAL_TLS="maybe"/],
    ['a missing Temporal binary', { TEMPORAL_CLI_PATH: '/nonexistent/temporal' }, /TEMPORAL_CLI_PATH=\/nonexistent\/temporal is not an executable file[\s\S]*npm run setup[\s\S]*TEMPORAL_ADDRESS/],
    ['an unreachable Temporal cluster', { TEMPORAL_ADDRESS: '127.0.0.1:1' }, /Cannot reach Temporal at 127\.0\.0\.1:1 \(namespace default\)[\s\S]*Check TEMPORAL_ADDRESS/],
  ])('stops with one clear message on %s', async (_name, env, expected) => {
    const r = run('scripts/start.ts', { DATA_DIR: dataDir, ...env });
    expect(await r.exited).toBe(1);
    expect(r.output()).toMatch(expected);
    expect(r.output()).not.toMatch(/\n\s+at /); // no stack trace
  }, 60_000);

  it('stops with one clear message when the database is down, and stops the dev server it started', async () => {
    const [devPort, uiPort] = await stablePorts(2);
    const r = run('scripts/start.ts', {
      DATA_DIR: dataDir,
      DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/govflow',
      TEMPORAL_DEV_PORT: String(devPort),
      TEMPORAL_UI_PORT: String(uiPort),
    });
    expect(await r.exited).toBe(1);
    expect(r.output()).toMatch(/Cannot prepare the database at 127\.0\.0\.1:1\/govflow: .*\nIs PostgreSQL running and DATABASE_URL correct\?/);
    expect(r.output()).not.toMatch(/\n\s+at /);
    await expect(fetch(`http://127.0.0.1:${uiPort}/`)).rejects.toThrow();
  }, 90_000);
});
