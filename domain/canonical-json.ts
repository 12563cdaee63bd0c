/**
 * JSON with object keys sorted at every depth and `undefined` members dropped: the same value always gives the
 * same text, whatever order its keys were built or stored in (PostgreSQL's jsonb reorders them). `__proto__`
 * members are dropped too: Prisma drops them when it writes a Json column, and a hash must cover what a row holds.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .filter((k) => k !== '__proto__' && (value as Record<string, unknown>)[k] !== undefined)
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}
