/**
 * The record loop: every source record is either staged whole or rejected whole, with its line
 * and reason. Duplicate keys keep the first accepted record; later ones are rejected as
 * `duplicate_id` so input = accepted + rejected holds. Only the set of accepted keys grows with
 * the input (one number per movie); rows are streamed straight to the writers.
 */
import type { CsvRecord } from './csv-reader';
import type { MappedRecord, SourceMapping } from './mapping';
import { reject, RowRejection } from './rejection';
import type { RejectsWriter } from '../core/lake/rejects-writer';
import type { StagedOutputs } from './staged-outputs';

export interface StageCounts {
  inputRows: number;
}

export async function stageRecords(
  records: AsyncIterable<CsvRecord>,
  mapping: SourceMapping,
  outputs: StagedOutputs,
  rejects: RejectsWriter,
  onRecord: () => void,
  /** Keys staged before these records (by the shards before this one): their records are duplicate_id. */
  stagedBefore: ReadonlySet<number | string> = new Set(),
): Promise<StageCounts> {
  const expectedFields = mapping.expectedHeader.length;
  const acceptedKeys = new Set<number | string>(stagedBefore);
  let inputRows = 0;
  for await (const record of records) {
    inputRows++;
    onRecord();
    let mapped: MappedRecord;
    try {
      if (record.fields.length !== expectedFields) {
        reject('wrong_field_count', `expected ${expectedFields} fields as in the header, got ${record.fields.length}`);
      }
      mapped = mapping.map(record.fields);
      if (acceptedKeys.has(mapped.key)) reject('duplicate_id', `${String(mapped.key)} was already accepted from an earlier record`);
    } catch (error) {
      if (!(error instanceof RowRejection)) throw error;
      await rejects.write(record.line, error, record.raw);
      continue;
    }
    acceptedKeys.add(mapped.key);
    outputs.write(mapped.rows);
    if (outputs.needsSettle) await outputs.settle();
  }
  return { inputRows };
}
