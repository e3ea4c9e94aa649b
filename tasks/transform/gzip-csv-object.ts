/**
 * One gzip CSV object being streamed into the lake: rows in, compressed bytes out to `lake.put`
 * as they are produced. Rows follow the staged conventions (staged.ts): NULL is an empty unquoted
 * field, an empty string is `""`, a field with a comma, quote or line break is quoted, lines end
 * in LF. gzip output is deterministic (no timestamp in the header), so a rerun writes the same bytes.
 */
import { once } from 'node:events';
import { createGzip, type Gzip } from 'node:zlib';
import type { Lake } from '../core/lake/lake';

export type CsvValue = string | null;

const NEEDS_QUOTES = /[",\r\n]/;
/** Lines are handed to zlib in batches of about this many characters: one zlib call per line is slow. */
const BATCH_CHARS = 64 * 1024;

export function formatCsvField(value: CsvValue): string {
  if (value === null) return '';
  if (value === '') return '""';
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function formatCsvLine(values: readonly CsvValue[]): string {
  let line = '';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) line += ',';
    line += formatCsvField(values[i] ?? null);
  }
  return `${line}\n`;
}

export class GzipCsvObject {
  /** Data rows written (the header is not counted). */
  rows = 0;
  /** Uncompressed bytes written, header included. */
  bytes = 0;
  private readonly gzip: Gzip;
  private readonly upload: Promise<number>;
  private readonly uploadSettled: Promise<void>;
  private uploadFailure: unknown;
  private drained: Promise<void> | undefined;
  private batch = '';

  constructor(
    lake: Lake,
    readonly key: string,
    header: readonly string[],
  ) {
    this.gzip = createGzip({ level: 6 });
    this.upload = lake.put(key, this.gzip);
    // Remember a failed upload at once, so a writer waiting for 'drain' is not left waiting forever.
    this.uploadSettled = this.upload.then(
      () => undefined,
      (error: unknown) => {
        this.uploadFailure = error ?? new Error(`upload of ${key} failed`);
      },
    );
    this.writeLine(header.join(',') + '\n');
  }

  write(values: readonly CsvValue[]): void {
    this.rows++;
    this.writeLine(formatCsvLine(values));
  }

  /** Resolves once the compressor can take more; call after writes when `needsDrain`. */
  async drain(): Promise<void> {
    if (this.uploadFailure !== undefined) throw this.uploadFailure;
    if (!this.drained) return;
    await Promise.race([this.drained, this.uploadSettled]);
    if (this.uploadFailure !== undefined) throw this.uploadFailure;
  }

  get needsDrain(): boolean {
    return this.drained !== undefined;
  }

  /**
   * Gives the object up: the upload fails, so the lake keeps nothing of it (a file lake removes its
   * temporary file, S3 aborts a multipart upload). Resolves once the upload has settled.
   */
  async abort(reason: Error): Promise<void> {
    this.gzip.destroy(reason);
    await this.uploadSettled;
  }

  /** Ends the object and waits until the lake holds it whole. Returns compressed bytes stored. */
  async close(): Promise<number> {
    if (this.uploadFailure !== undefined) throw this.uploadFailure;
    this.flush();
    this.gzip.end();
    return this.upload;
  }

  private writeLine(line: string): void {
    this.bytes += Buffer.byteLength(line);
    this.batch += line;
    if (this.batch.length >= BATCH_CHARS) this.flush();
  }

  private flush(): void {
    if (this.batch === '') return;
    const full = this.gzip.write(this.batch);
    this.batch = '';
    if (!full && !this.drained) {
      this.drained = once(this.gzip, 'drain').then(() => {
        this.drained = undefined;
      });
      this.drained.catch(() => undefined);
    }
  }
}
