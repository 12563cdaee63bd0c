import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Runs `npm run govflow -- ...` as an operator would (same entry point), against `url` with `token`. */
export async function govflowCli(url: string, token: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', path.resolve('scripts/govflow.ts'), ...args], {
      env: { ...process.env, GOVFLOW_URL: url, GOVFLOW_TOKEN: token },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
