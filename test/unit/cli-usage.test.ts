import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { kindLabel, withArticle } from '../../domain/wording.js';

const run = promisify(execFile);

/** The CLI as `npm run govflow -- …` runs it; nothing here reaches an API (GOVFLOW_URL points nowhere). */
async function govflow(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', path.resolve('scripts/govflow.ts'), ...args], {
      env: { ...process.env, GOVFLOW_URL: 'http://127.0.0.1:9', GOVFLOW_TOKEN: 'gf_unused' },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('govflow CLI usage', () => {
  it('prints the command list on --help, and each command its options', async () => {
    const all = await govflow('--help');
    expect(all).toMatchObject({ code: 0, stderr: '' });
    expect(all.stdout).toMatch(/^usage: npm run govflow -- <command>/);
    expect(all.stdout).toContain('GOVFLOW_URL');
    const create = await govflow('principal', 'create', '--help');
    expect(create.code).toBe(0);
    expect(create.stdout).toMatch(/^usage: npm run govflow -- principal create <id> --roles <value>/);
    const vote = await govflow('vote', '-h');
    expect(vote.stdout).toContain('--approve-all');
  });

  it('refuses an unknown option, a missing value or argument in one line with exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['principal', 'create', 'rita', '--roles', 'requester', '--frobnicate'], /^govflow: principal create: unknown option --frobnicate \(see npm run govflow -- principal create --help\)\n$/],
      [['inbox', '--verbose'], /^govflow: inbox: unknown option --verbose /],
      [['principal', 'create', 'rita', '--roles'], /^govflow: principal create: --roles needs a value /],
      [['principal', 'create', 'rita'], /^govflow: principal create: --roles <value> is required /],
      [['token', 'revoke', 'rita'], /^govflow: token revoke: expected <id> <tokenId> /],
      [['show', 'architecture-reviews', 'A', 'B'], /^govflow: show: unexpected argument "B" /],
    ];
    for (const [args, message] of cases) {
      const out = await govflow(...args);
      expect(out.code, args.join(' ')).toBe(2);
      expect(out.stderr, args.join(' ')).toMatch(message);
      expect(out.stderr.trimEnd().split('\n'), args.join(' ')).toHaveLength(1);
    }
  });

  it('writes a or an as the phrase needs', () => {
    expect(withArticle('architecture review')).toBe('an architecture review');
    expect(withArticle('interim_cto engagement')).toBe('an interim_cto engagement');
    expect(withArticle('committee approval')).toBe('a committee approval');
    expect(withArticle(kindLabel('ai_system'))).toBe('an AI system');
    expect(kindLabel('ai_compliance_assessment')).toBe('AI compliance assessment');
    expect(kindLabel('retrospective')).toBe('retrospective');
  });
});
