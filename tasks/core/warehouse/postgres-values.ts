/**
 * How PostgreSQL and PGlite values become JavaScript values, the same way the Redshift Data API
 * returns them: integers and floats as numbers, NUMERIC as a decimal string, dates and timestamps
 * as the server's text (never a JavaScript Date, whose time zone would shift them).
 */
import type { SqlValue } from './warehouse';

export const PG_TYPE = {
  bool: 16,
  int8: 20,
  int2: 21,
  int4: 23,
  oid: 26,
  float4: 700,
  float8: 701,
  numeric: 1700,
  date: 1082,
  timestamp: 1114,
  timestamptz: 1184,
} as const;

export type TextParser = (text: string) => SqlValue;

const asText: TextParser = (text) => text;
const asInteger: TextParser = (text) => Number.parseInt(text, 10);
/** BIGINT counts fit in a double; a larger value stays an exact string. */
const asBigint: TextParser = (text) => {
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : text;
};
const asFloat: TextParser = (text) => Number.parseFloat(text);
const asBoolean: TextParser = (text) => text === 't' || text === 'true';

export const TEXT_PARSERS: Readonly<Record<number, TextParser>> = {
  [PG_TYPE.bool]: asBoolean,
  [PG_TYPE.int8]: asBigint,
  [PG_TYPE.int2]: asInteger,
  [PG_TYPE.int4]: asInteger,
  [PG_TYPE.oid]: asInteger,
  [PG_TYPE.float4]: asFloat,
  [PG_TYPE.float8]: asFloat,
  [PG_TYPE.numeric]: asText,
  [PG_TYPE.date]: asText,
  [PG_TYPE.timestamp]: asText,
  [PG_TYPE.timestamptz]: asText,
};

export function parserFor(oid: number): TextParser {
  return TEXT_PARSERS[oid] ?? asText;
}

/** Parameter values as PostgreSQL receives them: booleans and numbers as text, NULL as null. */
export function toPostgresParameter(value: SqlValue): string | null {
  return value === null ? null : String(value);
}
