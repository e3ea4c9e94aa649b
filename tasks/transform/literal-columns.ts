/**
 * Reading the Python-literal columns (`genres`, `cast`, …) into staged values. A value that is not
 * a literal rejects the record as `malformed_python_literal` with the parser's offset and reason; a
 * literal of the wrong shape (a dict without `id`, a list where a dict belongs) as
 * `unexpected_python_literal`, naming the path (`cast[3].id`).
 */
import { describeLiteralError, LiteralDict, readPythonLiteral, type LiteralValue } from './python-literal';
import { reject } from './rejection';
import { quote } from './values';

export function parseLiteralColumn(value: string, column: string): LiteralValue {
  const parsed = readPythonLiteral(value);
  if (!parsed.ok) return reject('malformed_python_literal', `${column}: ${describeLiteralError(parsed.error)}`);
  return parsed.value;
}

/** A list of dicts; an empty field means an empty list. */
export function listOfDicts(value: string, column: string): LiteralDict[] {
  if (value === '') return [];
  const parsed = parseLiteralColumn(value, column);
  if (!Array.isArray(parsed)) return unexpected(column, 'a list', parsed);
  parsed.forEach((item, index) => {
    if (!(item instanceof LiteralDict)) unexpected(`${column}[${index}]`, 'a dict', item);
  });
  return parsed as LiteralDict[];
}

/** A dict, or NULL when the field is empty or `None`. */
export function optionalDict(value: string, column: string): LiteralDict | null {
  if (value === '') return null;
  const parsed = parseLiteralColumn(value, column);
  if (parsed === null) return null;
  if (!(parsed instanceof LiteralDict)) return unexpected(column, 'a dict', parsed);
  return parsed;
}

/** A positive integer id (`16`, or `16.0`) at `dict[key]`. */
export function idAt(dict: LiteralDict, key: string, path: string): string {
  const value = dict.get(key);
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1 || value > 2_147_483_647) {
    return unexpected(`${path}.${key}`, 'a positive integer id', value);
  }
  return String(value);
}

/** An integer at `dict[key]`; None or a missing key is NULL. */
export function integerAt(dict: LiteralDict, key: string, path: string): string | null {
  const value = dict.get(key);
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || Math.abs(value) > 2_147_483_647) {
    return unexpected(`${path}.${key}`, 'an integer', value);
  }
  return String(value);
}

/** A string at `dict[key]`. Optional text: None, a missing key or '' is NULL. Required: must be a string. */
export function textAt(dict: LiteralDict, key: string, path: string, required = false): string | null {
  const value = dict.get(key);
  if (!required && (value === undefined || value === null || value === '')) return null;
  if (typeof value !== 'string') return unexpected(`${path}.${key}`, 'a string', value);
  if (value.includes('\0')) reject('invalid_text', `${path}.${key}: contains a NUL character`);
  return value;
}

function unexpected(path: string, expected: string, found: LiteralValue | undefined): never {
  return reject('unexpected_python_literal', `${path}: expected ${expected}, got ${describe(found)}`);
}

function describe(value: LiteralValue | undefined): string {
  if (value === undefined) return 'nothing (missing key)';
  if (value === null) return 'None';
  if (value instanceof LiteralDict) return 'a dict';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `the string ${quote(value)}`;
  return String(value);
}
