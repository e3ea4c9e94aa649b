/**
 * Where a shard of the raw ratings starts and ends: at USER boundaries, so that each user's
 * ratings fall in one shard and duplicates still resolve while streaming (ratings-reader.ts).
 *
 * Boundary k of N (2 <= k <= N) is found from the byte nominalStart(size, k, N): the first line
 * starting at or after it whose userId parses is the reference; the boundary is the start of the
 * first later line whose userId parses and differs. Boundary 1 is the first line after the
 * header, boundary N+1 the end of the object. Every shard computes both of its boundaries from
 * the same bytes by the same rule, with a few small ranged reads, so neighbours agree without
 * talking to each other. A userId that goes DOWN at a boundary means the file is not in
 * MovieLens order, which sharding needs (a DataError, never a silent fallback).
 */
import { DataError } from '../core/errors';
import type { Lake } from '../core/lake/lake';
import { nominalStart, type Shard } from '../core/shard';
import { checkHeader, parseHeaderLine } from '../core/warehouse/csv-body';

const LF = 0x0a;
const COMMA = 0x2c;
const ZERO = 0x30;
const NINE = 0x39;
const MAX_ID_DIGITS = 9;
/** The first ranged read; each next one doubles, so a long run of one user costs few requests. */
const FIRST_PROBE_BYTES = 64 * 1024;
const MAX_PROBE_BYTES = 8 * 1024 * 1024;

/** A cut of the object: its byte offset, and the user of the line there (null at either end). */
export interface UserBoundary {
  offset: number;
  user: number | null;
}

/** Bytes [start, end) of the shard and the users it holds: [firstUser, nextUser), null = unbounded. */
export type ShardRange = {
  start: number;
  end: number;
  firstUser: number | null;
  nextUser: number | null;
};

export const notSortedError = (object: string, detail: string): DataError =>
  new DataError(
    `ratings are not sorted by userId (${detail}): a sharded load needs MovieLens order; load the file as one shard with "movalytics load ratings" (without --shard)`,
    { object },
  );

/** The shard's byte range and user range; the header is checked on the way. */
export async function shardRange(lake: Lake, key: string, size: number, shard: Shard, headerNames: readonly string[]): Promise<ShardRange> {
  const probe = new RangeProbe(lake, key, size);
  const bodyStart = await probe.bodyStart(headerNames);
  const boundary = (k: number): Promise<UserBoundary> => userBoundary(probe, bodyStart, k, shard.count);
  const [start, end] = await Promise.all([boundary(shard.index), boundary(shard.index + 1)]);
  return { start: start.offset, end: end.offset, firstUser: shard.index === 1 ? null : start.user, nextUser: end.user };
}

async function userBoundary(probe: RangeProbe, bodyStart: number, k: number, count: number): Promise<UserBoundary> {
  if (k === 1) return { offset: bodyStart, user: null };
  if (k > count) return { offset: probe.size, user: null };
  const from = Math.max(nominalStart(probe.size, k, count), bodyStart);
  let reference: number | undefined;
  for await (const line of probe.lines(from, from > bodyStart)) {
    const user = userOf(line.bytes);
    if (user === undefined) continue;
    if (reference === undefined) reference = user;
    else if (user !== reference) {
      if (user < reference) throw notSortedError(probe.object, `user ${user} follows user ${reference} at byte ${line.offset}`);
      return { offset: line.offset, user };
    }
  }
  return { offset: probe.size, user: null };
}

/** The userId a line starts with (digits then a comma), or undefined when it has none. */
function userOf(line: Buffer): number | undefined {
  let value = 0;
  let at = 0;
  for (; at < line.length && at <= MAX_ID_DIGITS; at++) {
    const byte = line[at] as number;
    if (byte === COMMA) return at === 0 ? undefined : value;
    if (byte < ZERO || byte > NINE) return undefined;
    value = value * 10 + (byte - ZERO);
  }
  return undefined;
}

/** Small ranged reads of one object, line by line. */
class RangeProbe {
  readonly object: string;

  constructor(
    private readonly lake: Lake,
    private readonly key: string,
    readonly size: number,
  ) {
    this.object = lake.urlOf(key);
  }

  /** The offset just after the header line, which is checked. */
  async bodyStart(expected: readonly string[]): Promise<number> {
    for await (const line of this.lines(0, false)) {
      checkHeader(parseHeaderLine(line.bytes), expected, this.object);
      return line.end;
    }
    throw new DataError('empty object: expected a CSV header', { object: this.object, line: 1 });
  }

  /** The lines from `from` on (after skipping to the next line start when `skipPartial`), each with its offset. */
  async *lines(from: number, skipPartial: boolean): AsyncGenerator<{ offset: number; end: number; bytes: Buffer }> {
    let offset = skipPartial ? from - 1 : from;
    let pending = Buffer.alloc(0);
    let skipping = skipPartial;
    let probeBytes = FIRST_PROBE_BYTES;
    let readTo = offset;
    while (readTo < this.size || pending.length > 0) {
      if (readTo < this.size) {
        const end = Math.min(this.size, readTo + probeBytes);
        pending = Buffer.concat([pending, await this.read(readTo, end)]);
        readTo = end;
        probeBytes = Math.min(probeBytes * 2, MAX_PROBE_BYTES);
      }
      let at = 0;
      for (let lf = pending.indexOf(LF); lf >= 0; lf = pending.indexOf(LF, at)) {
        if (!skipping) yield { offset: offset + at, end: offset + lf + 1, bytes: pending.subarray(at, lf) };
        skipping = false;
        at = lf + 1;
      }
      if (readTo >= this.size) {
        // The last line, without a line end.
        if (at < pending.length && !skipping) yield { offset: offset + at, end: this.size, bytes: pending.subarray(at) };
        return;
      }
      offset += at;
      pending = pending.subarray(at);
    }
  }

  private async read(start: number, end: number): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of await this.lake.get(this.key, { start, end })) chunks.push(Buffer.from(chunk as Buffer));
    return Buffer.concat(chunks);
  }
}
