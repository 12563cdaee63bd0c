import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnEntry, stablePorts, waitFor, type Child } from '../support/processes.js';

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
