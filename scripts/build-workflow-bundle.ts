/** Prebuilds the workflow bundle that the worker loads in production (NODE_ENV=production). */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { loadConfig } from '../platform/config.js';
import { WORKFLOWS_PATH } from '../worker/worker.js';

const config = loadConfig({ ...process.env, NODE_ENV: 'development' });
const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH });
const out = path.resolve(config.WORKFLOW_BUNDLE_PATH);
await mkdir(path.dirname(out), { recursive: true });
await writeFile(out, code);
console.log(`workflow bundle written to ${path.relative(process.cwd(), out)} (${(code.length / 1024).toFixed(0)} KiB)`);
