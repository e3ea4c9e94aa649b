/**
 * A streaming CSV record reader for the messy source files: RFC 4180 quoting (fields spanning
 * lines, doubled quotes), LF, CRLF or lone CR line ends, no final newline, a UTF-8 BOM. Each record
 * carries the physical line where it starts and its original text (for the rejects file).
 *
 * Quoting is read the way Python's csv module (which wrote the Kaggle files) reads it by default:
 * a quote inside an unquoted field, or text right after a closing quote, is kept as data; the
 * record's field count then tells the caller whether the row is sound. Empty lines are skipped.
 *
 * Damage to the file, as opposed to one bad record, fails the read (DataError, exit 65) with the
 * line where it starts: a quoted field still open at the end of the input (a file cut inside a
 * quoted field, or a quote never closed, which swallows every record after it), and a last record
 * with fewer fields than the header and no line end (a file cut mid-line). A complete last record
 * without a line end is sound: some real files end that way.
 *
 * Memory: only the current record and one input chunk are held. A record that is incomplete at the
 * end of the buffered text is re-scanned once twice as much text has arrived, so long records
 * (credits fields exceed 30,000 characters) cost amortised linear time. A new chunk is not joined
 * whole to the record left over from the one before (that would copy every chunk once more):
 * only as much of its start as that record needs is, and the rest is scanned in the chunk itself.
 */
import { TextDecoder } from 'node:util';
import { DataError } from '../core/errors';
import { NextOccurrence } from './next-occurrence';

export interface CsvRecord {
  /** Physical line (1-based) where the record starts. */
  line: number;
  fields: string[];
  /** The record's original text, without its line end. */
  raw: string;
}

export interface CsvReaderOptions {
  /** Named in errors. */
  object: string;
  /** A longer record fails the read: an unbalanced quote would otherwise swallow the whole file. */
  maxRecordChars?: number;
  /** Called with the byte count of every input chunk (for progress). */
  onBytes?: (bytes: number) => void;
  /** The fields of a sound record (the header's): a last record with fewer and no line end is a cut file. */
  fields?: number;
  /** The physical line the input starts on (a shard's input starts mid-file); 1 by default. */
  firstLine?: number;
}

export const DEFAULT_MAX_RECORD_CHARS = 32 * 1024 * 1024;

const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;

export async function* readCsvRecords(
  input: AsyncIterable<Buffer | Uint8Array | string> | Iterable<Buffer | Uint8Array | string>,
  options: CsvReaderOptions,
): AsyncGenerator<CsvRecord> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const scanner = new RecordScanner(options.object, options.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS, options.fields);
  scanner.line = options.firstLine ?? 1;
  let bytes = 0;
  for await (const chunk of input) {
    const data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    options.onBytes?.(data.length);
    scanner.append(decode(decoder, data, options.object, bytes, scanner));
    bytes += data.length;
    if (!scanner.worthScanning()) continue;
    for (let record = scanner.next(false); record; record = scanner.next(false)) yield record;
  }
  scanner.append(decode(decoder, undefined, options.object, bytes, scanner));
  for (let record = scanner.next(true); record; record = scanner.next(true)) yield record;
}

function decode(decoder: TextDecoder, data: Uint8Array | undefined, object: string, offset: number, scanner: RecordScanner): string {
  try {
    return data === undefined ? decoder.decode() : decoder.decode(data, { stream: true });
  } catch (error) {
    // Name the physical line and the byte where the bad sequence starts, not where the chunk did.
    const at = data === undefined ? 0 : firstInvalidUtf8(data);
    const line = scanner.lineAfterPending() + (data === undefined ? 0 : countLineBreakBytes(data, at));
    throw new DataError('invalid UTF-8 in input', { object, line, expected: 'UTF-8 text', byteOffset: offset + at }, { cause: error });
  }
}

/**
 * Where the first byte sequence that is not UTF-8 starts in `data` (0 when it cannot be told, e.g.
 * a sequence cut across chunks). Leading continuation bytes may finish a character the previous
 * chunk began, so they are skipped.
 */
function firstInvalidUtf8(data: Uint8Array): number {
  let i = 0;
  while (i < data.length && i < 3 && ((data[i] as number) & 0xc0) === 0x80) i++;
  while (i < data.length) {
    const byte = data[i] as number;
    const length = byte < 0x80 ? 1 : byte >= 0xc2 && byte <= 0xdf ? 2 : byte >= 0xe0 && byte <= 0xef ? 3 : byte >= 0xf0 && byte <= 0xf4 ? 4 : 0;
    if (length === 0) return i;
    for (let k = 1; k < length; k++) {
      if (i + k >= data.length) return i;
      if (((data[i + k] as number) & 0xc0) !== 0x80) return i;
    }
    if (!secondByteAllowed(byte, data[i + 1] as number)) return i;
    i += length;
  }
  return 0;
}

/**
 * The leads whose second byte is narrower than 80..BF (Unicode table 3-7): E0 (overlong), ED (a
 * UTF-16 surrogate, ED A0..BF), F0 (overlong), F4 (above U+10FFFF). The decoder rejects all four.
 */
function secondByteAllowed(lead: number, second: number): boolean {
  if (lead === 0xe0) return second >= 0xa0;
  if (lead === 0xed) return second <= 0x9f;
  if (lead === 0xf0) return second >= 0x90;
  if (lead === 0xf4) return second <= 0x8f;
  return true;
}

function countLineBreakBytes(data: Uint8Array, to: number): number {
  let count = 0;
  for (let i = 0; i < to; i++) {
    if (data[i] === LF) count++;
    else if (data[i] === CR && data[i + 1] !== LF) count++;
  }
  return count;
}

/** Thrown inside the scanner when the buffered text ends before the record does. */
const INCOMPLETE = Symbol('incomplete');

/** The least of a new chunk joined to a pending record at first (more is joined if it needs it). */
const MIN_JOIN = 4096;

class RecordScanner {
  private buffer = '';
  private pos = 0;
  /** Physical line at `pos`. */
  line = 1;
  /** Do not re-scan an incomplete record before the pending text reaches this length. */
  private wanted = 0;
  private readonly nextLf = new NextOccurrence('\n');
  private readonly nextCr = new NextOccurrence('\r');
  /**
   * A chunk that arrived while a record was pending: `buffer` is that record's text followed by
   * the first `joined` characters of the chunk, which start at `boundary` in `buffer`.
   */
  private incoming: string | undefined;
  private joined = 0;
  private boundary = 0;

  constructor(
    private readonly object: string,
    private readonly maxRecordChars: number,
    private readonly fields: number | undefined,
  ) {}

  /** The physical line just after the text buffered and not yet scanned. */
  lineAfterPending(): number {
    this.joinAll();
    return this.line + this.lineBreaks(this.pos, this.buffer.length);
  }

  append(text: string): void {
    if (text === '') return;
    this.joinAll();
    if (this.pos >= this.buffer.length) {
      this.setBuffer(text, 0);
      return;
    }
    this.boundary = this.buffer.length - this.pos;
    this.joined = Math.min(text.length, Math.max(MIN_JOIN, this.boundary));
    this.incoming = this.joined < text.length ? text : undefined;
    this.setBuffer(this.buffer.slice(this.pos) + text.slice(0, this.joined), 0);
  }

  worthScanning(): boolean {
    const unjoined = this.incoming === undefined ? 0 : this.incoming.length - this.joined;
    return this.buffer.length - this.pos + unjoined >= this.wanted;
  }

  /** The next record, or undefined when more input is needed (or, when `final`, at the end). */
  next(final: boolean): CsvRecord | undefined {
    if (final) this.joinAll();
    for (;;) {
      const result = this.nextInBuffer(final);
      if (result !== INCOMPLETE) return result;
      // The pending record goes on past what is joined of the new chunk: join more and read it again.
      if (this.incoming === undefined) return undefined;
      this.joinMore(this.incoming);
    }
  }

  private nextInBuffer(final: boolean): CsvRecord | undefined | typeof INCOMPLETE {
    this.leaveJoin();
    this.skipEmptyLines(final);
    this.leaveJoin();
    if (this.pos >= this.buffer.length) return undefined;
    const result = this.scan(final);
    if (result === INCOMPLETE) {
      if (this.incoming !== undefined) return INCOMPLETE;
      const pending = this.buffer.length - this.pos;
      if (pending > this.maxRecordChars) {
        throw new DataError(`a record is longer than ${this.maxRecordChars} characters (an unbalanced quote?)`, {
          object: this.object,
          line: this.line,
        });
      }
      this.wanted = pending * 2;
      return undefined;
    }
    this.wanted = 0;
    return result;
  }

  private setBuffer(text: string, pos: number): void {
    this.buffer = text;
    this.pos = pos;
    this.nextLf.reset(text);
    this.nextCr.reset(text);
  }

  /** Once the record that straddled two chunks is read, go on in the new chunk itself. */
  private leaveJoin(): void {
    if (this.incoming === undefined || this.pos < this.boundary) return;
    this.setBuffer(this.incoming, this.pos - this.boundary);
    this.incoming = undefined;
  }

  /** Joins twice as much of the new chunk to the pending record (all of it, at most). */
  private joinMore(incoming: string): void {
    const pending = this.buffer.slice(this.pos, this.boundary);
    this.joined = Math.min(incoming.length, this.joined * 2);
    this.boundary = pending.length;
    this.setBuffer(pending + incoming.slice(0, this.joined), 0);
    if (this.joined === incoming.length) this.incoming = undefined;
  }

  /** Joins the whole new chunk to the pending text, as if it had been appended whole. */
  private joinAll(): void {
    if (this.incoming === undefined) return;
    this.setBuffer(this.buffer.slice(this.pos) + this.incoming.slice(this.joined), 0);
    this.incoming = undefined;
  }

  private skipEmptyLines(final: boolean): void {
    const buffer = this.buffer;
    for (;;) {
      const code = buffer.charCodeAt(this.pos);
      if (code === LF) {
        this.pos++;
        this.line++;
      } else if (code === CR) {
        if (this.pos + 1 >= buffer.length && !final) return;
        this.pos += buffer.charCodeAt(this.pos + 1) === LF ? 2 : 1;
        this.line++;
      } else return;
    }
  }

  /** Scans one record from `pos`; on success moves `pos` and `line` past it and its line end. */
  private scan(final: boolean): CsvRecord | typeof INCOMPLETE {
    const buffer = this.buffer;
    const length = buffer.length;
    const start = this.pos;
    const fields: string[] = [];
    let lines = 0;
    let i = start;
    for (;;) {
      let value = '';
      if (buffer.charCodeAt(i) === QUOTE) {
        // Quoted part of the field: up to the closing quote; `""` is one quote. The part is taken
        // in one slice (a flat string, not one piece per doubled quote) and unescaped at once.
        const open = i + 1;
        let doubled = false;
        let end = open;
        for (;;) {
          const close = buffer.indexOf('"', end);
          if (close < 0) {
            if (!final) return INCOMPLETE;
            throw new DataError('unterminated quoted field at the end of the input: the file is cut inside a quoted field, or a quote opened here is never closed', {
              object: this.object,
              line: this.line + this.lineBreaks(start, open),
              expected: 'a closing quote',
            });
          }
          if (close + 1 >= length && !final) return INCOMPLETE;
          if (buffer.charCodeAt(close + 1) === QUOTE) {
            doubled = true;
            end = close + 2;
            continue;
          }
          end = close;
          i = close + 1;
          break;
        }
        value = buffer.slice(open, end);
        if (doubled) value = value.replaceAll('""', '"');
        lines += this.lineBreaks(open, end);
      }
      // Unquoted field, or text after a closing quote: up to the next comma or line end.
      const fieldStart = i;
      while (i < length) {
        const code = buffer.charCodeAt(i);
        if (code === COMMA || code === LF || code === CR) break;
        i++;
      }
      if (i > fieldStart) value += buffer.slice(fieldStart, i);
      fields.push(value);
      if (i >= length) {
        if (!final) return INCOMPLETE;
        return this.finishLast(start, lines, fields);
      }
      const code = buffer.charCodeAt(i);
      if (code === COMMA) {
        i++;
        if (i >= length) {
          if (!final) return INCOMPLETE;
          fields.push('');
          return this.finishLast(start, lines, fields);
        }
        continue;
      }
      if (code === LF) return this.finish(start, i, i + 1, lines + 1, fields);
      if (i + 1 >= length && !final) return INCOMPLETE;
      return this.finish(start, i, buffer.charCodeAt(i + 1) === LF ? i + 2 : i + 1, lines + 1, fields);
    }
  }

  /** Line breaks in buffer[from, to) (LF, CRLF and lone CR each end one line), found by search, not char by char. */
  private lineBreaks(from: number, to: number): number {
    let count = 0;
    for (let at = this.nextLf.from(from); at !== -1 && at < to; at = this.nextLf.from(at + 1)) count++;
    for (let at = this.nextCr.from(from); at !== -1 && at < to; at = this.nextCr.from(at + 1)) {
      if (this.buffer.charCodeAt(at + 1) !== LF) count++;
    }
    return count;
  }

  /**
   * The last record, ended by the end of the input rather than a line end. With fewer fields than
   * a sound record, the input stops mid-line: a cut file, whose lost remainder no reject can count.
   */
  private finishLast(start: number, lines: number, fields: string[]): CsvRecord {
    if (this.fields !== undefined && fields.length < this.fields) {
      throw new DataError(`the input ends mid-line: the last record has ${fields.length} of ${this.fields} fields and no line end (a cut file)`, {
        object: this.object,
        line: this.line,
        expected: `${this.fields} fields`,
      });
    }
    return this.finish(start, this.buffer.length, this.buffer.length, lines, fields);
  }

  private finish(start: number, end: number, next: number, lines: number, fields: string[]): CsvRecord {
    const record: CsvRecord = { line: this.line, fields, raw: this.buffer.slice(start, end) };
    this.pos = next;
    this.line += lines;
    return record;
  }
}
