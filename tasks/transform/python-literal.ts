/**
 * A parser for Python literals as `repr()` writes them (the Kaggle columns `genres`, `cast`, …):
 * lists, tuples, dicts, strings in either quote style with escapes, `None`, `True`, `False`, ints
 * and floats (signs, scientific notation). It never evaluates anything and never throws on bad
 * input: it returns where (offset) and why the text is not a literal.
 *
 * Deliberate limits: tuples become arrays; dict keys must be str, int, float, bool or None (what
 * the data uses); no bytes, complex, hex/octal/binary ints, `\N{…}` escapes or implicit string
 * concatenation (repr never writes them). One leniency: a raw line break inside a quoted string
 * is kept rather than refused (Python would refuse it, but the meaning is unambiguous).
 *
 * Dicts are read as `LiteralDict`s, much cheaper to build than Maps (a credits field holds
 * hundreds of small dicts): the transform only looks keys up (the tests read them as Maps, in
 * test/support/python-literal-maps.ts).
 */
import { NextOccurrence } from './next-occurrence';
import { isWordChar, LiteralDict, plainScalarEnd, plainScalarValue, type LiteralValue, type PyKey } from './python-literal-values';

export { LiteralDict, type LiteralValue, type PyKey };

export interface PythonLiteralError {
  /** Character offset (UTF-16 code units) into the text where the problem was found. */
  offset: number;
  message: string;
}

export type ReadResult = { ok: true; value: LiteralValue } | { ok: false; error: PythonLiteralError };

/** Deeper nesting than this is refused, so hostile input cannot overflow the stack. */
export const MAX_DEPTH = 200;

/** The literal in `text`, or where and why it is not one. */
export function readPythonLiteral(text: string): ReadResult {
  const parser = new Parser(text);
  try {
    parser.skipSpace();
    const value = parser.value(0);
    parser.skipSpace();
    if (parser.pos < text.length) parser.fail(`unexpected ${parser.describeHere()} after the value`);
    return { ok: true, value };
  } catch (error) {
    if (error instanceof LiteralSyntaxError) return { ok: false, error: { offset: error.offset, message: error.message } };
    throw error;
  }
}

/** E.g. `at offset 12: expected ',' or ']' but found character "}"`. */
export function describeLiteralError(error: PythonLiteralError): string {
  return `at offset ${error.offset}: ${error.message}`;
}

class LiteralSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  n: '\n',
  r: '\r',
  t: '\t',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
};

const NUMBER = /[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const OPEN_BRACKET = 0x5b;
const OPEN_PAREN = 0x28;
const OPEN_BRACE = 0x7b;
const SINGLE_QUOTE = 0x27;
const DOUBLE_QUOTE = 0x22;

const WORD = /[A-Za-z_][A-Za-z0-9_]*/y;
const HEX = /^[0-9A-Fa-f]+$/;

class Parser {
  pos = 0;
  /** Backslashes, remembered: a field with hundreds of strings and no escapes is searched once. */
  private readonly backslashes = new NextOccurrence('\\');
  constructor(private readonly text: string) {
    this.backslashes.reset(text);
  }

  fail(message: string, offset = this.pos): never {
    throw new LiteralSyntaxError(message, offset);
  }

  describeHere(): string {
    if (this.pos >= this.text.length) return 'end of text';
    return `character ${JSON.stringify(this.text[this.pos])}`;
  }

  skipSpace(): void {
    const text = this.text;
    let pos = this.pos;
    for (;;) {
      const code = text.charCodeAt(pos);
      if (code === 32 || code === 9 || code === 10 || code === 13 || code === 12) pos++;
      else break;
    }
    this.pos = pos;
  }

  value(depth: number): LiteralValue {
    if (depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH}`);
    switch (this.text.charCodeAt(this.pos)) {
      case OPEN_BRACKET:
        return this.sequence(']', depth);
      case OPEN_PAREN:
        return this.parenthesised(depth);
      case OPEN_BRACE:
        return this.dict(depth);
      case SINGLE_QUOTE:
      case DOUBLE_QUOTE:
        return this.string(false);
      default:
        if (this.pos >= this.text.length) return this.fail('expected a value but found end of text');
        return this.plainScalar();
    }
  }

  /** What repr writes most (an integer, None, True, False) without regular expressions; else `scalar`. */
  private plainScalar(): LiteralValue {
    const end = plainScalarEnd(this.text, this.pos);
    if (end < 0) return this.scalar();
    const value = plainScalarValue(this.text, this.pos, end);
    this.pos = end;
    return value;
  }

  private scalar(): LiteralValue {
    const start = this.pos;
    WORD.lastIndex = start;
    const word = WORD.exec(this.text)?.[0];
    if (word !== undefined) {
      const quote = this.text[start + word.length];
      if ((quote === "'" || quote === '"') && /^[uUrR]$/.test(word)) {
        this.pos = start + 1;
        return this.string(word === 'r' || word === 'R');
      }
      this.pos = start + word.length;
      if (word === 'None') return null;
      if (word === 'True') return true;
      if (word === 'False') return false;
      return this.fail(`unknown name '${word}' (only None, True and False are literals)`, start);
    }
    NUMBER.lastIndex = start;
    const number = NUMBER.exec(this.text)?.[0];
    if (number === undefined) return this.fail(`expected a value but found ${this.describeHere()}`);
    this.pos = start + number.length;
    if (/^[+-]?0\d/.test(number) && !/[.eE]/.test(number) && !/^[+-]?0+$/.test(number)) {
      this.fail(`integer with a leading zero: ${number}`, start);
    }
    const next = this.text.charCodeAt(this.pos);
    if (isWordChar(next)) this.fail(`malformed number: ${number}${this.text[this.pos] ?? ''}…`, start);
    const value = Number(number);
    if (!Number.isFinite(value)) this.fail(`number out of range: ${number}`, start);
    return value;
  }

  private expect(char: string, what: string): void {
    if (this.text[this.pos] !== char) this.fail(`expected ${what} but found ${this.describeHere()}`);
    this.pos++;
  }

  /** After an item: a comma (then maybe the closer) or the closer. Returns true when closed. */
  private afterItem(close: string): boolean {
    this.skipSpace();
    const char = this.text[this.pos];
    if (char === close) {
      this.pos++;
      return true;
    }
    if (char !== ',') this.fail(`expected ',' or '${close}' but found ${this.describeHere()}`);
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === close) {
      this.pos++;
      return true;
    }
    return false;
  }

  private sequence(close: string, depth: number): LiteralValue[] {
    this.pos++;
    const items: LiteralValue[] = [];
    this.skipSpace();
    if (this.text[this.pos] === close) {
      this.pos++;
      return items;
    }
    for (;;) {
      items.push(this.value(depth + 1));
      if (this.afterItem(close)) return items;
    }
  }

  /** `()` and `(1,)` are tuples; `(1)` is just 1 in parentheses. */
  private parenthesised(depth: number): LiteralValue {
    const open = this.pos;
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === ')') {
      this.pos++;
      return [];
    }
    const first = this.value(depth + 1);
    this.skipSpace();
    if (this.text[this.pos] === ')') {
      this.pos++;
      return first;
    }
    this.pos = open;
    return this.sequence(')', depth);
  }

  private dict(depth: number): LiteralDict {
    this.pos++;
    const keys: PyKey[] = [];
    const values: LiteralValue[] = [];
    this.skipSpace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return new LiteralDict(keys, values);
    }
    for (;;) {
      const keyAt = this.pos;
      const key = this.value(depth + 1);
      if (key !== null && typeof key === 'object') this.fail('unhashable dict key (a list or dict)', keyAt);
      this.skipSpace();
      this.expect(':', "':' after a dict key");
      this.skipSpace();
      keys.push(key);
      values.push(this.value(depth + 1));
      if (this.afterItem('}')) return new LiteralDict(keys, values);
    }
  }

  /** At an opening quote. */
  private string(raw: boolean): string {
    const text = this.text;
    const quote = text[this.pos] as string;
    const start = this.pos;
    let pos = this.pos + 1;
    let out = '';
    for (;;) {
      const end = text.indexOf(quote, pos);
      const slash = raw ? -1 : this.backslashes.from(pos);
      if (end < 0 && (slash < 0 || raw)) this.fail(`unterminated string (opened with ${quote})`, start);
      if (slash < 0 || (end >= 0 && end < slash)) {
        if (raw && countBackslashesBefore(text, end, pos) % 2 === 1) {
          out += text.slice(pos, end + 1);
          pos = end + 1;
          continue;
        }
        out += text.slice(pos, end);
        this.pos = end + 1;
        return out;
      }
      out += text.slice(pos, slash);
      const [decoded, next] = this.escape(slash, start);
      out += decoded;
      pos = next;
    }
  }

  /** Decodes the escape at `slash`; returns the text and the offset after it. */
  private escape(slash: number, stringStart: number): [string, number] {
    const text = this.text;
    const char = text[slash + 1];
    if (char === undefined) this.fail('unterminated string (ends in a backslash)', stringStart);
    const simple = SIMPLE_ESCAPES[char];
    if (simple !== undefined) return [simple, slash + 2];
    if (char === '\n') return ['', slash + 2];
    if (char === '\r') return ['', text[slash + 2] === '\n' ? slash + 3 : slash + 2];
    if (char >= '0' && char <= '7') {
      let end = slash + 2;
      while (end < slash + 4 && (text[end] ?? '') >= '0' && (text[end] ?? '') <= '7') end++;
      return [String.fromCharCode(parseInt(text.slice(slash + 1, end), 8)), end];
    }
    const width = char === 'x' ? 2 : char === 'u' ? 4 : char === 'U' ? 8 : 0;
    if (width > 0) {
      const digits = text.slice(slash + 2, slash + 2 + width);
      if (digits.length !== width || !HEX.test(digits)) this.fail(`bad \\${char} escape: expected ${width} hex digits`, slash);
      const code = parseInt(digits, 16);
      if (code > 0x10ffff) this.fail(`bad \\${char} escape: code point beyond U+10FFFF`, slash);
      return [String.fromCodePoint(code), slash + 2 + width];
    }
    if (char === 'N') this.fail('\\N{…} escapes are not supported', slash);
    // Python keeps unknown escapes such as `\d` as they are.
    return [`\\${char}`, slash + 2];
  }
}

function countBackslashesBefore(text: string, index: number, floor: number): number {
  let count = 0;
  for (let i = index - 1; i >= floor && text[i] === '\\'; i--) count++;
  return count;
}
