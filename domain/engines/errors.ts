/**
 * Errors raised by the scoring and compliance engines. Both are `GovflowError`s, so workflows, activities and
 * the API map them like any other: bad input is a `ValidationError` (400), an inconsistent policy slice is a
 * `PolicyError` (422). Pure: safe to import from workflow code.
 */
import type { z } from 'zod';
import { GovflowError, type ErrorField } from '../errors.js';

/** An engine input that does not match its schema or the policy it is evaluated against. */
export class EngineInputError extends GovflowError {
  /** Path of the first offending field, e.g. `options[1].scores.scalability`. */
  readonly field: string;

  constructor(fields: ErrorField[]) {
    const list = fields.length > 0 ? fields : [{ path: 'input', message: 'invalid input' }];
    super('ValidationError', list.map((f) => `${f.path}: ${f.message}`).join('; '), list);
    this.name = 'EngineInputError';
    this.field = list[0]!.path;
  }

  static at(path: string, message: string): EngineInputError {
    return new EngineInputError([{ path, message }]);
  }
}

/** The policy slice handed to an engine is unusable (e.g. weights that do not sum to 1). */
export class EnginePolicyError extends GovflowError {
  constructor(message: string) {
    super('PolicyError', message);
    this.name = 'EnginePolicyError';
  }
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `['options', 1, 'scores', 'scalability']` → `options[1].scores.scalability`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else {
      const key = String(part);
      out += IDENTIFIER.test(key) ? (out === '' ? key : `.${key}`) : `[${JSON.stringify(key)}]`;
    }
  }
  return out === '' ? 'input' : out;
}

/** Appends one key or index to a formatted path: `joinPath('options[1].scores', 'scalability')`. */
export function joinPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  return IDENTIFIER.test(key) ? `${base}.${key}` : `${base}[${JSON.stringify(key)}]`;
}

/** Parses `raw` with `schema`; every zod issue becomes a field of one `EngineInputError`. */
export function parseWith<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const fields: ErrorField[] = [];
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) fields.push({ path: formatPath([...issue.path, key]), message: 'unknown field' });
    } else {
      fields.push({ path: formatPath(issue.path), message: issue.message });
    }
  }
  throw new EngineInputError(fields);
}
