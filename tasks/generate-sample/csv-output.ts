/**
 * CSV output as the real files were written (Python's csv module, QUOTE_MINIMAL): a field is quoted
 * only when it holds a comma, a double quote or a line break, and quotes inside are doubled.
 * Output is produced in chunks of about 256 KiB, never one write per value.
 */
import { Readable } from 'node:stream';

const CHUNK_BYTES = 256 * 1024;

export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvRecord(fields: readonly string[]): string {
  return fields.map(csvField).join(',');
}

/** A generated file: its name and how its lines end. */
export interface SampleFile {
  name: string;
  lineEnding: '\n' | '\r\n';
  /** Whether the last record is followed by a line ending (some real files stop without one). */
  finalNewline: boolean;
}

/**
 * Joins text records with the file's line ending and hands out ~256 KiB buffers. The line ending
 * goes before each record after the first, so the end of the file is decided once, in `end()`.
 */
export class RecordChunks {
  private parts: string[] = [];
  private length = 0;
  private records = 0;

  constructor(private readonly format: SampleFile) {}

  /** Adds one record (already CSV-encoded); returns a chunk when enough text has accumulated. */
  add(record: string): Buffer | undefined {
    const text = this.records++ === 0 ? record : this.format.lineEnding + record;
    this.parts.push(text);
    this.length += text.length;
    return this.length >= CHUNK_BYTES / 2 ? this.take() : undefined;
  }

  /** The last chunk, with the final line ending when the format wants one. */
  end(): Buffer {
    if (this.format.finalNewline) this.parts.push(this.format.lineEnding);
    return this.take();
  }

  /** Records added, the header included. */
  get count(): number {
    return this.records;
  }

  private take(): Buffer {
    const chunk = Buffer.from(this.parts.join(''), 'utf8');
    this.parts = [];
    this.length = 0;
    return chunk;
  }
}

/** Adds a record and passes on the chunk it completes, if any: `yield* emit(out, record)`. */
export function* emit(out: RecordChunks, record: string): Generator<Buffer> {
  const chunk = out.add(record);
  if (chunk) yield chunk;
}

/**
 * Writes ASCII bytes straight into a buffer, for the 26-million-row ratings file: no string or
 * object per value, one Buffer per ~256 KiB.
 */
export class ByteChunks {
  buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  position = 0;

  /** True when the next row might not fit: take() the chunk first. */
  get nearlyFull(): boolean {
    return this.position > CHUNK_BYTES - 256;
  }

  take(): Buffer {
    const chunk = this.buffer.subarray(0, this.position);
    this.buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    this.position = 0;
    return chunk;
  }

  ascii(text: string): void {
    this.position += this.buffer.write(text, this.position, 'latin1');
  }

  byte(value: number): void {
    this.buffer[this.position++] = value;
  }

  /** A non-negative integer in decimal. */
  uint(value: number): void {
    let digits = 1;
    for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) digits++;
    let at = this.position + digits;
    this.position = at;
    let rest = value;
    do {
      const quotient = Math.floor(rest / 10);
      this.buffer[--at] = 48 + rest - quotient * 10;
      rest = quotient;
    } while (rest > 0);
  }
}

/** A byte stream (not object mode) over generated chunks: pulled as fast as the lake takes them. */
export function chunkStream(chunks: Iterable<Buffer>): Readable {
  return Readable.from(chunks, { objectMode: false });
}
