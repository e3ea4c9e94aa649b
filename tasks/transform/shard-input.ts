/**
 * What one shard of a transform reads: the records that start in its share of the raw object
 * (record-cuts.ts), numbered with the whole file's physical lines, after the header checked at the
 * start of the object, and the keys records before the shard already stage (earlier-keys.ts).
 * The whole object (`--shard 1/1`, no flag) is the same with no prefix and no earlier keys.
 */
import { UsageError } from '../core/errors';
import type { ByteRange, Lake } from '../core/lake/lake';
import type { Logger } from '../core/log';
import { shardLabel, type Shard } from '../core/shard';
import { readCsvRecords, type CsvRecord } from './csv-reader';
import { keysOf, keysStagedBefore } from './earlier-keys';
import type { SourceMapping } from './mapping';
import { shardRange } from './record-cuts';

export interface ShardInput {
  /** The records after the header (the header itself already read and checked by `checkHeader`). */
  records: AsyncGenerator<CsvRecord>;
  /** Keys a record before the shard stages: the shard's records of these are duplicate_id. */
  earlierKeys: Set<number>;
  /** The shard's bytes of the raw object (the whole object when not sharded). */
  range: ByteRange;
}

export interface RawObject {
  key: string;
  size: number;
  url: string;
}

type HeaderCheck = (records: AsyncGenerator<CsvRecord>) => Promise<void>;

export async function openShardInput(
  lake: Lake,
  raw: RawObject,
  mapping: SourceMapping,
  shard: Shard,
  io: { logger: Logger; onBytes: (bytes: number) => void; checkHeader: HeaderCheck },
): Promise<ShardInput> {
  const read = async (range: ByteRange, firstLine: number, onBytes?: (bytes: number) => void): Promise<AsyncGenerator<CsvRecord>> =>
    readCsvRecords(range.end > range.start ? await lake.get(raw.key, range) : [], {
      object: raw.url,
      fields: mapping.expectedHeader.length,
      firstLine,
      ...(onBytes ? { onBytes } : {}),
    });
  const keyOf = mapping.keyOf;
  if (!keyOf && shard.count > 1) throw new UsageError(`${mapping.source} is transformed whole: it has no --shard (a small source)`);
  const startedAt = Date.now();
  const cut = await shardRange(lake, raw.key, raw.size, shard);
  const range = { start: cut.start.offset, end: cut.end };
  if (shard.count > 1) io.logger.info('shard cut at record boundaries', { shard: shardLabel(shard), ...range, first_line: cut.start.line, bytes_scanned: cut.scanned, seconds: (Date.now() - startedAt) / 1000 });
  if (shard.index === 1 || !keyOf) {
    const records = await read(range, 1, io.onBytes);
    await io.checkHeader(records);
    return { records, earlierKeys: new Set(), range };
  }
  const prefix = await read({ start: 0, end: range.start }, 1);
  await io.checkHeader(prefix);
  const ownKeys = await keysOf(await read(range, cut.start.line), mapping, keyOf);
  const earlierKeys = await keysStagedBefore(prefix, mapping, keyOf, ownKeys);
  io.logger.info('keys staged before the shard found', { shard: shardLabel(shard), repeated_keys: earlierKeys.size, seconds: (Date.now() - startedAt) / 1000 });
  const records = await read(range, cut.start.line, io.onBytes);
  return { records, earlierKeys, range };
}
