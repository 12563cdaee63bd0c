import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './processes.js';

const run = promisify(execFile);

/** The newest PostgreSQL server binaries on the machine (Debian keeps them per major version). */
function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(path.join(root, v, 'bin', 'pg_ctl'))).sort((a, b) => Number(b) - Number(a)) : [];
  if (!versions[0]) throw new Error('a private PostgreSQL needs the server binaries (apt-get install -y postgresql)');
  return path.join(root, versions[0], 'bin');
}

export interface PrivatePostgres {
  url: string;
  /** Stops the server and starts it again; `immediate` stops it as a crash would (recovery from the WAL on start). */
  restart(mode: 'immediate' | 'fast'): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A PostgreSQL server of the test's own, in a temporary folder on a free port: a test may crash and restart it
 * without disturbing the other test files, which share the machine's server.
 */
export async function privatePostgres(): Promise<PrivatePostgres> {
  const bin = binDir();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'govflow-pg-'));
  const data = path.join(dir, 'data');
  const port = await freePort();
  // initdb refuses to run as root: run the server as the postgres user then.
  const asOwner = process.getuid?.() === 0;
  if (asOwner) chownSync(dir, Number((await run('id', ['-u', 'postgres'])).stdout.trim()), Number((await run('id', ['-g', 'postgres'])).stdout.trim()));
  const pg = (tool: string, args: string[]) => (asOwner ? run('runuser', ['-u', 'postgres', '--', path.join(bin, tool), ...args]) : run(path.join(bin, tool), args));
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  await pg('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  await pg('pg_ctl', ['-D', data, '-o', options, '-l', path.join(dir, 'log'), '-w', 'start']);
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    async restart(mode) {
      await pg('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']);
      await pg('pg_ctl', ['-D', data, '-o', options, '-l', path.join(dir, 'log'), '-w', 'start']);
    },
    async stop() {
      await pg('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
