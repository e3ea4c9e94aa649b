/**
 * Validates a FRED CSV while its bytes stream past, unchanged, and hashes them:
 *   line 1: `DATE,<SERIES>` (older downloads) or `observation_date,<SERIES>` (since late 2024),
 *           where <SERIES> must be the expected id — another id means the wrong file; read as
 *           CSV (quoted names, spaces around them) and the date column's name in any case, as
 *           data portals re-publish the series (`"Date","CUSR0000SS62031"`);
 *   then:   `YYYY-MM-DD,<number>` or `YYYY-MM-DD,.` (FRED's missing value), dates increasing,
 *           every number above 0 and with no more decimals than the model keeps (core/cpi-value.ts).
 * CRLF or LF, a UTF-8 BOM and a missing final newline are accepted. Lines are split on bytes and
 * capped in length, so memory stays flat whatever arrives (an HTML error page, a binary file).
 */
import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { isCpiDateColumn } from '../core/cpi-columns';
import { cpiValueProblem } from '../core/cpi-value';
import { headerNames } from '../core/csv-header';
import { DataError } from '../core/errors';

export interface CpiSummary {
  date_column: string;
  observations: number;
  missing_values: number;
  first_date: string | null;
  last_date: string | null;
}

const MAX_LINE_BYTES = 1024;
const NEWLINE = 0x0a;
const ROW = /^(\d{4})-(\d{2})-(\d{2}),(-?\d+(?:\.\d+)?|\.)$/;

export class FredCsvCheck extends Transform {
  bytes = 0;
  /** The first DataError found, kept so it wins over whatever the lake made of the aborted upload. */
  failure: DataError | undefined;
  private readonly hash = createHash('sha256');
  private partial: Buffer[] = [];
  private partialBytes = 0;
  private lineNumber = 0;
  private blankLine: number | undefined;
  private readonly summary: CpiSummary = {
    date_column: '',
    observations: 0,
    missing_values: 0,
    first_date: null,
    last_date: null,
  };

  constructor(
    private readonly series: string,
    private readonly object: string,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    this.hash.update(chunk);
    try {
      this.scan(chunk);
    } catch (error) {
      return callback(this.fail(error));
    }
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    try {
      if (this.partialBytes > 0) this.line(Buffer.concat(this.partial).toString('utf8'));
      if (this.lineNumber === 0) throw this.error('empty CPI file: expected a FRED CSV header', 1);
      if (this.summary.observations === 0) throw this.error('no observations in the CPI file', this.lineNumber);
    } catch (error) {
      return callback(this.fail(error));
    }
    callback();
  }

  result(): CpiSummary {
    return { ...this.summary };
  }

  sha256(): string {
    return this.hash.digest('hex');
  }

  private scan(chunk: Buffer): void {
    let start = 0;
    for (let end = chunk.indexOf(NEWLINE); end !== -1; end = chunk.indexOf(NEWLINE, start)) {
      this.keep(chunk.subarray(start, end));
      this.line(Buffer.concat(this.partial).toString('utf8'));
      this.partial = [];
      this.partialBytes = 0;
      start = end + 1;
    }
    this.keep(chunk.subarray(start));
  }

  private keep(piece: Buffer): void {
    if (piece.length === 0) return;
    this.partialBytes += piece.length;
    if (this.partialBytes > MAX_LINE_BYTES) {
      throw this.error(`line longer than ${MAX_LINE_BYTES} bytes: not a FRED CSV`, this.lineNumber + 1);
    }
    this.partial.push(piece);
  }

  private line(raw: string): void {
    const number = ++this.lineNumber;
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (text === '') {
      this.blankLine ??= number;
      return;
    }
    if (this.blankLine !== undefined) throw this.error('blank line inside the CPI data', this.blankLine);
    if (number === 1) this.header(text.replace(/^\uFEFF/, ''));
    else this.row(text, number);
  }

  private header(text: string): void {
    const columns = headerNames(text);
    const [dateColumn = '', seriesColumn = ''] = columns;
    const validDate = isCpiDateColumn(dateColumn);
    if (validDate && columns.length === 2 && seriesColumn !== this.series && /^[A-Za-z0-9_]+$/.test(seriesColumn)) {
      throw this.error(`wrong CPI series: the file holds ${seriesColumn}, expected ${this.series}`, 1);
    }
    if (!validDate || columns.length !== 2 || seriesColumn !== this.series) {
      throw this.error(
        `unexpected CPI header "${shorten(text)}": expected DATE,${this.series} or observation_date,${this.series}`,
        1,
      );
    }
    this.summary.date_column = dateColumn;
  }

  private row(text: string, number: number): void {
    const match = ROW.exec(text);
    const [, year, month, day, value] = match ?? [];
    if (!match || !validDate(Number(year), Number(month), Number(day))) {
      throw this.error(`bad CPI row "${shorten(text)}": expected YYYY-MM-DD,<number or .>`, number);
    }
    const date = text.slice(0, 10);
    const problem = value === '.' ? undefined : cpiValueProblem(value as string);
    if (problem) throw this.error(`bad CPI value for ${date}: ${problem}`, number);
    const previous = this.summary.last_date;
    if (previous !== null && date <= previous) {
      throw this.error(`CPI dates out of order: ${date} after ${previous}`, number);
    }
    this.summary.first_date ??= date;
    this.summary.last_date = date;
    this.summary.observations++;
    if (value === '.') this.summary.missing_values++;
  }

  private error(message: string, line: number): DataError {
    return new DataError(message, { object: this.object, line });
  }

  private fail(error: unknown): Error {
    if (error instanceof DataError) this.failure ??= error;
    return error as Error;
  }
}

function validDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function shorten(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
