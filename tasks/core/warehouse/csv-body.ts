/**
 * Byte-level helpers for loading CSV objects by COPY: check and drop the header line, and cut the
 * body into chunks that end on a record boundary. They never parse fields (COPY does) and hold
 * at most one chunk, so memory does not grow with the object.
 */
import { PassThrough, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { headerNames } from '../csv-header';
import { DataError } from '../errors';
import type { Lake } from '../lake/lake';

const LF = 0x0a;
const QUOTE = 0x22;
/** A header longer than this is not a header: the object is not the CSV we expect. */
const MAX_HEADER_BYTES = 64 * 1024;

/** The header's column names, read as CSV (core/csv-header.ts): quotes, spaces, a BOM and CR dropped. */
export function parseHeaderLine(line: Buffer): string[] {
  return headerNames(line.toString('utf8'));
}

export function checkHeader(found: readonly string[], expected: readonly string[], object: string): void {
  if (found.length !== expected.length || found.some((name, index) => name !== expected[index])) {
    throw new DataError(`wrong CSV header: expected "${expected.join(',')}", found "${found.join(',')}"`, { object, line: 1 });
  }
}

/** The object's bytes after its header line, which is checked against `expected`. */
export async function* bodyAfterHeader(
  source: AsyncIterable<Buffer | Uint8Array | string>,
  expected: readonly string[],
  object: string,
): AsyncGenerator<Buffer> {
  let pending: Buffer | undefined = Buffer.alloc(0);
  for await (const chunk of source) {
    const data = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (pending === undefined) {
      yield data;
      continue;
    }
    pending = Buffer.concat([pending, data]);
    const end = pending.indexOf(LF);
    if (end < 0) {
      if (pending.length > MAX_HEADER_BYTES) throw new DataError('no header line in the first 64 KiB', { object, line: 1 });
      continue;
    }
    checkHeader(parseHeaderLine(pending.subarray(0, end)), expected, object);
    const rest = pending.subarray(end + 1);
    pending = undefined;
    if (rest.length > 0) yield rest;
  }
  if (pending !== undefined) {
    // An object holding only a header without a line end, or nothing at all.
    if (pending.length === 0) throw new DataError('empty object: expected a CSV header', { object, line: 1 });
    checkHeader(parseHeaderLine(pending), expected, object);
  }
}

/** The header of an object, read from the start of its stream (the rest is not read). */
export async function readHeader(source: AsyncIterable<Buffer | Uint8Array | string>, object: string): Promise<string[]> {
  let pending = Buffer.alloc(0);
  for await (const chunk of source) {
    pending = Buffer.concat([pending, typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk)]);
    const end = pending.indexOf(LF);
    if (end >= 0) return parseHeaderLine(pending.subarray(0, end));
    if (pending.length > MAX_HEADER_BYTES) break;
  }
  if (pending.length === 0 || pending.length > MAX_HEADER_BYTES) throw new DataError('no CSV header line', { object, line: 1 });
  return parseHeaderLine(pending);
}

/**
 * Re-cuts a CSV byte stream into chunks of about `targetBytes` that each end after a complete
 * record (a line end outside quotes), so that each chunk can be COPYed on its own.
 */
export async function* recordChunks(source: AsyncIterable<Buffer>, targetBytes: number): AsyncGenerator<Buffer> {
  // Every buffered run of bytes starts at a record start, so its quote state starts "outside".
  let parts: Buffer[] = [];
  let size = 0;
  for await (const data of source) {
    parts.push(data);
    size += data.length;
    if (size < targetBytes) continue;
    const joined = Buffer.concat(parts, size);
    const boundary = lastRecordBoundary(joined);
    if (boundary < 0) {
      // One record longer than the target: keep reading until it ends.
      parts = [joined];
      continue;
    }
    yield joined.subarray(0, boundary);
    const rest = joined.subarray(boundary);
    parts = rest.length > 0 ? [rest] : [];
    size = rest.length;
  }
  if (size > 0) yield Buffer.concat(parts, size);
}

/**
 * The offset just after the last line end outside quotes, or -1. Files without any quote
 * (ratings, links) take the fast path.
 */
function lastRecordBoundary(data: Buffer): number {
  if (data.indexOf(QUOTE) < 0) {
    const last = data.lastIndexOf(LF);
    return last < 0 ? -1 : last + 1;
  }
  let inQuotes = false;
  let boundary = -1;
  for (let index = 0; index < data.length; index++) {
    const byte = data[index];
    if (byte === QUOTE) inQuotes = !inQuotes;
    else if (byte === LF && !inQuotes) boundary = index + 1;
  }
  return boundary;
}

/**
 * The records of one lake object as COPY wants them: read as a stream, counted (compressed bytes),
 * gunzipped when asked, header checked and removed.
 */
export async function* objectRecords(
  lake: Lake,
  key: string,
  options: { gzip: boolean; header: readonly string[]; onBytes?: (bytes: number) => void },
): AsyncGenerator<Buffer> {
  const object = lake.urlOf(key);
  const source = await lake.get(key);
  const counting = new PassThrough();
  counting.on('data', (chunk: Buffer) => options.onBytes?.(chunk.length));
  const decoded = options.gzip
    ? pipeline(source, counting, createGunzip(), () => undefined)
    : pipeline(source, counting, () => undefined);
  try {
    yield* bodyAfterHeader(decoded, options.header, object);
  } catch (error) {
    if (typeof (error as { code?: unknown }).code === 'string' && String((error as { code: string }).code).startsWith('Z_')) {
      throw new DataError(`not a valid gzip object: ${(error as Error).message}`, { object });
    }
    throw error;
  } finally {
    source.destroy();
  }
}
