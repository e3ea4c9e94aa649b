/** Typed reads of result columns: a missing column or an unexpected type is a bug, said clearly. */
import type { Row } from './warehouse';

export function stringColumn(row: Row | undefined, column: string): string {
  const value = row?.[column];
  if (typeof value !== 'string') throw new TypeError(`expected text in column ${column}, got ${JSON.stringify(value)}`);
  return value;
}

/** A count or other integer; BIGINT arrives as a number (or as a string beyond 2^53). */
export function numberColumn(row: Row | undefined, column: string): number {
  const value = row?.[column];
  const number = typeof value === 'string' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number)) {
    throw new TypeError(`expected a number in column ${column}, got ${JSON.stringify(value)}`);
  }
  return number;
}
