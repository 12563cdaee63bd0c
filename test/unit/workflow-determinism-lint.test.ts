import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

async function lintAs(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('the determinism lint rule for workflow code', () => {
  it('refuses Node built-ins, the environment, timers and Node-side modules in workflows/', async () => {
    const messages = await lintAs(
      'workflows/bad-example.ts',
      [
        "import { readFileSync } from 'node:fs';",
        "import { createDb } from '../platform/database.js';",
        'export async function bad(): Promise<string> {',
        '  setTimeout(() => {}, 10);',
        "  return readFileSync(process.env.X ?? '', 'utf8') + String(createDb);",
        '}',
      ].join('\n'),
    );
    expect(messages.some((m) => m.startsWith('no-restricted-imports') && m.includes('Node built-ins'))).toBe(true);
    expect(messages.some((m) => m.startsWith('no-restricted-imports') && m.includes('Node-side modules'))).toBe(true);
    expect(messages.some((m) => m.startsWith('no-restricted-globals') && m.includes('environment'))).toBe(true);
    expect(messages.some((m) => m.startsWith('no-restricted-globals') && m.includes('sleep()'))).toBe(true);
  });

  it('accepts the same code outside workflow modules', async () => {
    const messages = await lintAs('platform/ok-example.ts', "import { readFileSync } from 'node:fs';\nexport const read = () => readFileSync(process.env.X ?? '', 'utf8');\n");
    expect(messages).toEqual([]);
  });
});
