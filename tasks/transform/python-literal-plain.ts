/**
 * The fast lane of the Python-literal reader (python-literal.ts): what repr() writes for the Kaggle
 * list columns, `[{'id': 16, 'name': 'Animation'}, …]`, read in one tight loop. A credits field
 * holds hundreds of such dicts; the general parser spends most of its time on what this lane skips
 * (method calls per token, escapes, spacing rules, nesting).
 *
 * The lane takes only the plain shape: a list of flat dicts, no backslash anywhere, items separated
 * by exactly `, `, keys by exactly `: `, keys plain single-quoted strings, values plain quoted
 * strings, integers of up to 15 digits (no sign but `-`, no leading zero), None, True or False.
 * At anything else it gives up (undefined) and the general parser reads the text from the start,
 * so every error and every unusual value is still reported exactly as before. For any text the
 * lane accepts, the general parser returns the same value (a test checks it on many texts).
 */

export type PyKey = string | number | boolean | null;
export type LiteralValue = PyKey | LiteralValue[] | LiteralDict;

/**
 * A dict as its keys and values in source order; `get` answers as a Map built from them would.
 * Dicts of one column with the same keys share one `keys` array.
 */
export class LiteralDict {
  constructor(
    readonly keys: readonly PyKey[],
    readonly values: readonly LiteralValue[],
  ) {}

  /** The value of the last entry with this key (a repeated key overrides, as in Python). */
  get(key: PyKey): LiteralValue | undefined {
    const keys = this.keys;
    for (let i = keys.length - 1; i >= 0; i--) if (keys[i] === key) return this.values[i];
    return undefined;
  }
}

/** Plain integers of up to this many digits are summed exactly in a double (2^53 has 16 digits). */
const MAX_PLAIN_DIGITS = 15;

const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const SINGLE_QUOTE = 0x27;
const DOUBLE_QUOTE = 0x22;
const COMMA = 0x2c;
const COLON = 0x3a;
const SPACE = 0x20;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;

/**
 * Where the plain scalar starting at `start` ends — an integer of up to 15 digits with an optional
 * `-` and no leading zero, or a whole None, True or False — or -1 when there is none.
 */
export function plainScalarEnd(text: string, start: number): number {
  const first = text.charCodeAt(start);
  if (first === 0x4e /* N */) return keywordEnd(text, start, 'None');
  if (first === 0x54 /* T */) return keywordEnd(text, start, 'True');
  if (first === 0x46 /* F */) return keywordEnd(text, start, 'False');
  const digitsStart = first === MINUS ? start + 1 : start;
  let end = digitsStart;
  for (let code = text.charCodeAt(end); code >= ZERO && code <= NINE; code = text.charCodeAt(++end));
  const digits = end - digitsStart;
  if (digits === 0 || digits > MAX_PLAIN_DIGITS || isWordChar(text.charCodeAt(end))) return -1;
  if (digits > 1 && text.charCodeAt(digitsStart) === ZERO) return -1;
  return end;
}

/** The value of the plain scalar at [start, end) found by `plainScalarEnd`. */
export function plainScalarValue(text: string, start: number, end: number): LiteralValue {
  const first = text.charCodeAt(start);
  if (first === 0x4e /* N */) return null;
  if (first === 0x54 /* T */) return true;
  if (first === 0x46 /* F */) return false;
  let value = 0;
  for (let i = first === MINUS ? start + 1 : start; i < end; i++) value = value * 10 + (text.charCodeAt(i) - ZERO);
  return first === MINUS ? -value : value;
}

/** A character that may continue a name (None, True, …): letters, digits, underscore. */
function isIdentifierChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

/** A name character or a dot: what may not follow a number. */
export function isWordChar(code: number): boolean {
  return isIdentifierChar(code) || code === 46;
}

/**
 * `text.startsWith(part, at)` for short parts. (V8's startsWith was the lane's costliest line when
 * the text holds non-Latin-1 characters and the key does not: most credits fields.)
 */
function hasAt(text: string, at: number, part: string): boolean {
  for (let i = 0; i < part.length; i++) if (text.charCodeAt(at + i) !== part.charCodeAt(i)) return false;
  return true;
}

function keywordEnd(text: string, start: number, word: string): number {
  const end = start + word.length;
  return hasAt(text, start, word) && !isIdentifierChar(text.charCodeAt(end)) ? end : -1;
}

/** The text as a list of flat dicts when it has the plain shape described above; otherwise undefined. */
export function readPlainDictList(text: string): LiteralDict[] | undefined {
  if (text.charCodeAt(0) !== OPEN_BRACKET || text.includes('\\')) return undefined;
  const list: LiteralDict[] = [];
  if (text.charCodeAt(1) === CLOSE_BRACKET) return text.length === 2 ? list : undefined;
  const shapes = new KeyShapes();
  let pos = 1;
  for (;;) {
    if (text.charCodeAt(pos) !== OPEN_BRACE) return undefined;
    pos = readPlainEntries(text, pos + 1, shapes);
    if (pos < 0) return undefined;
    list.push(new LiteralDict(shapes.keys, shapes.values()));
    const next = text.charCodeAt(pos);
    if (next === COMMA && text.charCodeAt(pos + 1) === SPACE) pos += 2;
    else return next === CLOSE_BRACKET && pos + 1 === text.length ? list : undefined;
  }
}

/**
 * The keys of a column's dicts, which repeat in the same order: the last key string seen at each
 * position (reused rather than sliced again), and the last dict's keys (shared by the next dict
 * when it has the same ones).
 */
class KeyShapes {
  readonly byPosition: string[] = [];
  keys: readonly string[] = [];
  /** The values of the dict being read; copied out at its end (an array of exactly their number). */
  readonly valuesRead: LiteralValue[] = [];

  values(): LiteralValue[] {
    return this.valuesRead.slice(0, this.keys.length);
  }

  /** Ends a dict of `count` keys; `changed` when one of them was not the one remembered at its position. */
  endDict(count: number, changed: boolean): void {
    if (changed || count !== this.keys.length) this.keys = this.byPosition.slice(0, count);
  }
}

/** Reads `'key': value, …}` from `start` into `shapes`; returns the offset after `}`, or -1. */
function readPlainEntries(text: string, start: number, shapes: KeyShapes): number {
  let pos = start;
  if (text.charCodeAt(pos) === CLOSE_BRACE) {
    shapes.endDict(0, false);
    return pos + 1;
  }
  const keysByPosition = shapes.byPosition;
  const values = shapes.valuesRead;
  let changed = false;
  for (let index = 0; ; index++) {
    if (text.charCodeAt(pos) !== SINGLE_QUOTE) return -1;
    const known = keysByPosition[index];
    let keyEnd = known === undefined ? -1 : pos + 1 + known.length;
    if (known === undefined || text.charCodeAt(keyEnd) !== SINGLE_QUOTE || !hasAt(text, pos + 1, known)) {
      keyEnd = text.indexOf("'", pos + 1);
      if (keyEnd < 0) return -1;
      keysByPosition[index] = text.slice(pos + 1, keyEnd);
      changed = true;
    }
    if (text.charCodeAt(keyEnd + 1) !== COLON || text.charCodeAt(keyEnd + 2) !== SPACE) return -1;
    pos = keyEnd + 3;
    const first = text.charCodeAt(pos);
    let value: LiteralValue;
    if (first === SINGLE_QUOTE || first === DOUBLE_QUOTE) {
      const close = text.indexOf(first === SINGLE_QUOTE ? "'" : '"', pos + 1);
      if (close < 0) return -1;
      value = text.slice(pos + 1, close);
      pos = close + 1;
    } else {
      const end = plainScalarEnd(text, pos);
      if (end < 0) return -1;
      value = plainScalarValue(text, pos, end);
      pos = end;
    }
    values[index] = value;
    const next = text.charCodeAt(pos);
    if (next === COMMA && text.charCodeAt(pos + 1) === SPACE) {
      pos += 2;
    } else {
      if (next !== CLOSE_BRACE) return -1;
      shapes.endDict(index + 1, changed);
      return pos + 1;
    }
  }
}
