/**
 * The values of the Python-literal reader (python-literal.ts): dicts as `LiteralDict`s, and the
 * plain scalars (integers of up to 15 digits, None, True, False) read without building a string.
 */

export type PyKey = string | number | boolean | null;
export type LiteralValue = PyKey | LiteralValue[] | LiteralDict;

/** A dict as its keys and values in source order; `get` answers as a Map built from them would. */
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

function keywordEnd(text: string, start: number, word: string): number {
  const end = start + word.length;
  return text.startsWith(word, start) && !isIdentifierChar(text.charCodeAt(end)) ? end : -1;
}
