import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { safeString } from '../../domain/text.js';
import { offlineApp } from '../support/api.js';

const { registry } = await offlineApp();

/** Every string schema inside a route's body or query schema (object fields, array items, record keys and values, unions…). */
function stringLeaves(schema: z.ZodType, path: string, out: { path: string; schema: z.ZodType }[] = []): { path: string; schema: z.ZodType }[] {
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def;
  const walk = (s: unknown, p: string) => stringLeaves(s as z.ZodType, p, out);
  switch (def.type) {
    case 'string':
      out.push({ path, schema });
      break;
    case 'object':
      for (const [k, v] of Object.entries(def.shape as Record<string, z.ZodType>)) walk(v, `${path}.${k}`);
      break;
    case 'array':
      walk(def.element, `${path}[]`);
      break;
    case 'record':
      walk(def.keyType, `${path}{key}`);
      walk(def.valueType, `${path}{}`);
      break;
    case 'union':
      (def.options as z.ZodType[]).forEach((o, i) => walk(o, `${path}|${i}`));
      break;
    case 'pipe':
      walk(def.in, path);
      break;
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'nonoptional':
    case 'catch':
      walk(def.innerType, path);
      break;
    default:
      break; // numbers, booleans, enums, literals, dates: nothing a string could hide in
  }
  return out;
}

const unsafeChar = fc.oneof(
  fc.integer({ min: 0x00, max: 0x08 }),
  fc.constantFrom(0x0b, 0x0c),
  fc.integer({ min: 0x0e, max: 0x1f }),
  fc.integer({ min: 0x7f, max: 0x9f }),
  fc.integer({ min: 0xd800, max: 0xdfff }),
).map((c) => String.fromCharCode(c));
/** A short string with one character PostgreSQL, JSON or a terminal cannot carry, somewhere in it. */
const unsafeText = fc.tuple(fc.string({ maxLength: 4 }), unsafeChar, fc.string({ maxLength: 4 })).map(([a, c, b]) => `${a}${c}${b}`);

describe('the shared safe-text schema', () => {
  const leaves = registry.routes.flatMap((r) => [
    ...(r.body ? stringLeaves(r.body, `${r.method} ${r.path} body`) : []),
    ...(r.query ? stringLeaves(r.query, `${r.method} ${r.path} query`) : []),
  ]);

  it('finds the string fields of every route with a body or query', () => {
    expect(leaves.length).toBeGreaterThan(100);
    const withInput = registry.routes.filter((r) => r.body || r.query).map((r) => `${r.method} ${r.path}`);
    const covered = new Set(leaves.map((l) => l.path.split(' ').slice(0, 2).join(' ')));
    // the inbox, the records list and the tree heads and their proofs take only numbers and enums; close-capture, the principal lifecycle and sign-in links an empty body
    expect(withInput.filter((r) => !covered.has(r)).sort()).toEqual(
      ['get /audit/proofs/consistency', 'get /audit/tree-heads', 'get /inbox', 'get /records', 'post /principals/:id/deactivate', 'post /principals/:id/login-links', 'post /principals/:id/reactivate', 'post /principals/:id/tokens/:tokenId/revoke', 'post /retrospectives/:key/close-capture'],
    );
  });

  it.each(leaves.map((l) => [l.path, l.schema] as const))('%s refuses NUL, controls and unpaired surrogates', (_path, schema) => {
    fc.assert(fc.property(unsafeText, (s) => !schema.safeParse(s).success), { numRuns: 50 });
  });

  it('admits tabs, newlines, accents, CJK and emoji (well-formed surrogate pairs)', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.constantFrom('', '\t', '\n', '\r\n'), (s, ws) => safeString().safeParse(`${s}${ws}é漢😀`).success));
  });
});
