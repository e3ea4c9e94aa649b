/**
 * A staged CSV row written straight into a byte buffer as UTF-8: NULL is an empty unquoted field,
 * an empty string is `""`, a field with a comma, quote or line break is quoted with its quotes
 * doubled, the row ends in LF. The bytes are those of `Buffer.from(line)` for the line those rules
 * give (a lone surrogate becomes U+FFFD, as Node encodes it).
 *
 * Why by hand: building each line as a string and encoding it cost about a microsecond per row
 * (a dozen string concatenations, then flattening and a native call); this loop costs a fraction.
 * Long values (overviews, taglines) go to Node's native encoder, which is faster per character
 * than a JavaScript loop once its call costs less than the loop would.
 */
export type CsvValue = string | null;

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;
/** From this length on, a value is checked and encoded natively (measured on the movies and credits outputs). */
const LONG_VALUE = 32;
const NEEDS_QUOTES = /[",\r\n]/;

/** At least the bytes `encodeCsvRow` writes for `values`: 3 per UTF-16 unit, quotes, separators. */
export function csvRowByteBound(values: readonly CsvValue[]): number {
  let bound = 1;
  for (let i = 0; i < values.length; i++) bound += (values[i]?.length ?? 0) * 3 + 3;
  return bound;
}

/** Writes the row at `at` (the caller made room for `csvRowByteBound`); returns the offset after it. */
export function encodeCsvRow(values: readonly CsvValue[], buffer: Buffer, at: number): number {
  let offset = at;
  for (let i = 0; i < values.length; i++) {
    if (i > 0) buffer[offset++] = COMMA;
    const value = values[i] ?? null;
    if (value === null) continue;
    if (value === '') {
      buffer[offset++] = QUOTE;
      buffer[offset++] = QUOTE;
      continue;
    }
    if (value.length >= LONG_VALUE) {
      offset = encodeLong(value, buffer, offset);
      continue;
    }
    // Most values need no quotes: encode them so, and start over quoted at the first that does.
    const end = encodeUtf8(value, buffer, offset, false);
    if (end >= 0) {
      offset = end;
    } else {
      buffer[offset++] = QUOTE;
      offset = encodeUtf8(value, buffer, offset, true);
      buffer[offset++] = QUOTE;
    }
  }
  buffer[offset++] = LF;
  return offset;
}

function encodeLong(value: string, buffer: Buffer, at: number): number {
  if (!NEEDS_QUOTES.test(value)) return at + buffer.write(value, at);
  let offset = at;
  buffer[offset++] = QUOTE;
  offset += buffer.write(value.includes('"') ? value.replaceAll('"', '""') : value, offset);
  buffer[offset++] = QUOTE;
  return offset;
}

/**
 * Encodes `text` at `at`; returns the offset after it. Unquoted (`quoted` false), it gives up at
 * the first comma, quote or line break and returns -1; quoted, it doubles quotes.
 */
function encodeUtf8(text: string, buffer: Uint8Array, at: number, quoted: boolean): number {
  let offset = at;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > COMMA && code < 0x80) {
      // Letters, digits and most punctuation: the characters that need no further look.
      buffer[offset++] = code;
    } else if (code < 0x80) {
      if (code === QUOTE || code === COMMA || code === LF || code === CR) {
        if (!quoted) return -1;
        if (code === QUOTE) buffer[offset++] = QUOTE;
      }
      buffer[offset++] = code;
    } else if (code < 0x800) {
      buffer[offset++] = 0xc0 | (code >> 6);
      buffer[offset++] = 0x80 | (code & 0x3f);
    } else if (code < 0xd800 || code > 0xdfff) {
      buffer[offset++] = 0xe0 | (code >> 12);
      buffer[offset++] = 0x80 | ((code >> 6) & 0x3f);
      buffer[offset++] = 0x80 | (code & 0x3f);
    } else {
      const next = text.charCodeAt(i + 1);
      if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        const point = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
        buffer[offset++] = 0xf0 | (point >> 18);
        buffer[offset++] = 0x80 | ((point >> 12) & 0x3f);
        buffer[offset++] = 0x80 | ((point >> 6) & 0x3f);
        buffer[offset++] = 0x80 | (point & 0x3f);
        i++;
      } else {
        // A lone surrogate: U+FFFD, as Buffer.from writes it.
        buffer[offset++] = 0xef;
        buffer[offset++] = 0xbf;
        buffer[offset++] = 0xbd;
      }
    }
  }
  return offset;
}
