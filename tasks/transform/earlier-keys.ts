/**
 * The keys a shard must treat as already staged: those its own records share with a record
 * before the shard that the whole-file transform would stage. With them, the shard rejects the
 * same records as `duplicate_id` (same lines, same counts) as the transform of the whole file, so
 * the shards' outputs together are the whole file's outputs and the load only takes their union.
 *
 *   1. the shard's own records: their keys only (`keyOf`, no other field parsed)
 *   2. the records before the shard: `keyOf` each; those whose key is among (1) are mapped whole,
 *      and the key counts when one of them maps (the first record of a key that maps is staged).
 *
 * Step 2 reads the prefix the cut scan read already, now through the CSV reader; it maps only the
 * rare records whose key repeats in the shard, so it costs a parse of the prefix, not a transform.
 */
import type { CsvRecord } from './csv-reader';
import type { SourceMapping } from './mapping';
import { RowRejection } from './rejection';

type KeyOf = (fields: readonly string[]) => number;

/** The keys of the shard's records (those with the header's field count and a sound key). */
export async function keysOf(records: AsyncIterable<CsvRecord>, mapping: SourceMapping, keyOf: KeyOf): Promise<Set<number>> {
  const keys = new Set<number>();
  for await (const record of records) {
    const key = soundKey(record, mapping, keyOf);
    if (key !== undefined) keys.add(key);
  }
  return keys;
}

/** Of `wanted`, the keys some record of `records` (the prefix, header read) would have staged. */
export async function keysStagedBefore(records: AsyncIterable<CsvRecord>, mapping: SourceMapping, keyOf: KeyOf, wanted: ReadonlySet<number>): Promise<Set<number>> {
  const staged = new Set<number>();
  for await (const record of records) {
    const key = soundKey(record, mapping, keyOf);
    if (key === undefined || !wanted.has(key) || staged.has(key)) continue;
    if (maps(record, mapping)) staged.add(key);
  }
  return staged;
}

function soundKey(record: CsvRecord, mapping: SourceMapping, keyOf: KeyOf): number | undefined {
  if (record.fields.length !== mapping.expectedHeader.length) return undefined;
  try {
    return keyOf(record.fields);
  } catch (error) {
    if (error instanceof RowRejection) return undefined;
    throw error;
  }
}

function maps(record: CsvRecord, mapping: SourceMapping): boolean {
  try {
    mapping.map(record.fields);
    return true;
  } catch (error) {
    if (error instanceof RowRejection) return false;
    throw error;
  }
}
