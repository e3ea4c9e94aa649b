/**
 * The transform's Python-literal parser (tasks/transform/python-literal.ts), read with dicts as
 * Maps: what the tests compare against Python's own reading. The transform only looks keys up, so
 * it keeps its cheaper LiteralDicts and never needs this.
 */
import { LiteralDict, readPythonLiteral, type LiteralValue, type PyKey, type PythonLiteralError } from '../../tasks/transform/python-literal';

export type PyValue = PyKey | PyValue[] | PyDict;
export type PyDict = Map<PyKey, PyValue>;
export type ParseResult = { ok: true; value: PyValue } | { ok: false; error: PythonLiteralError };

export function parsePythonLiteral(text: string): ParseResult {
  const read = readPythonLiteral(text);
  return read.ok ? { ok: true, value: toPyValue(read.value) } : read;
}

function toPyValue(value: LiteralValue): PyValue {
  if (Array.isArray(value)) return value.map(toPyValue);
  if (!(value instanceof LiteralDict)) return value;
  const dict: PyDict = new Map();
  value.keys.forEach((key, i) => dict.set(key, toPyValue(value.values[i] as LiteralValue)));
  return dict;
}
