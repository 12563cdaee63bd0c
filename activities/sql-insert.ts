import { canonicalJson } from '../domain/canonical-json.js';
import { Prisma } from '../prisma/generated/client.js';

/*
 * Multi-row INSERT statements for the projection's hot path. Prisma's createMany compiles each call's query in its
 * query compiler (WebAssembly) and a conditional upsert needs a read first; one raw statement per table does
 * neither, and statements joined in one need no transaction's round trips: together they halve the worker's CPU per
 * projection write (bench/projection-write.ts).
 */

/** The SQL type of a parameter whose column type PostgreSQL cannot infer from a JavaScript value as sent. */
export type Cast = 'text[]' | 'jsonb';

function param(value: unknown, cast: Cast | undefined): Prisma.Sql {
  if (value === undefined || value === null) return Prisma.sql`NULL`;
  // timestamp(3) columns hold UTC without a zone: the ISO text's "Z" is ignored on input, as Prisma writes dates.
  // JSON as the audit hashes see it (canonicalJson drops `__proto__` members, as Prisma's Json writes do).
  const v = value instanceof Date ? value.toISOString() : cast === 'jsonb' ? canonicalJson(value) : value;
  return cast ? Prisma.sql`${v}::${Prisma.raw(cast)}` : Prisma.sql`${v}`;
}

/**
 * `INSERT INTO table (columns of the first row) VALUES (…), (…) <onConflict>`: every row has the same columns;
 * undefined and null are NULL.
 */
export function insertRows(table: string, rows: Record<string, unknown>[], casts: Record<string, Cast>, onConflict: Prisma.Sql): Prisma.Sql {
  const columns = Object.keys(rows[0]!);
  const tuples = rows.map((row) => Prisma.sql`(${Prisma.join(columns.map((c) => param(row[c], casts[c])))})`);
  return Prisma.sql`INSERT INTO "${Prisma.raw(table)}" (${Prisma.raw(columns.map((c) => `"${c}"`).join(', '))}) VALUES ${Prisma.join(tuples)} ${onConflict}`;
}

/** `ON CONFLICT (key) DO UPDATE` of every other column but `kept`, only where `newer` holds of the stored row. */
export function updateWhere(key: string, columns: string[], kept: string[], newer: string): Prisma.Sql {
  const set = columns.filter((c) => c !== key && !kept.includes(c)).map((c) => `"${c}" = EXCLUDED."${c}"`);
  return Prisma.raw(`ON CONFLICT ("${key}") DO UPDATE SET ${set.join(', ')} WHERE ${newer}`);
}

/**
 * Statements run as one (the first ones as data-modifying WITH queries): atomic without a transaction, in one round
 * trip. They see the same snapshot; foreign keys are checked at the statement's end, so a row may refer to another
 * inserted beside it.
 */
export function asOneStatement(statements: Prisma.Sql[]): Prisma.Sql {
  if (statements.length === 1) return statements[0]!;
  const withs = statements.slice(0, -1).map((q, i) => Prisma.sql`w${Prisma.raw(String(i))} AS (${q})`);
  return Prisma.sql`WITH ${Prisma.join(withs)} ${statements.at(-1)!}`;
}
