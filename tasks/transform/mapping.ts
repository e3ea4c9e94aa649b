/**
 * What each source's mapping (sources/*.ts) provides to the transform: where its raw object is,
 * the header it expects, and how one source record becomes rows of staged datasets. A mapping
 * either returns every row of a record or rejects the whole record: never half of it.
 */
import type { RAW_SOURCE } from '../core/lake/layout';
import { stagedDataset, type StagedColumn, type StagedDataset, type TransformSource } from '../core/staged';
import type { CsvValue } from '../core/lake/gzip-csv-object';
import { reject } from './rejection';
import { fitsNumeric, quote } from './values';

export interface StagedRow {
  dataset: string;
  values: CsvValue[];
}

export interface MappedRecord {
  /** The record's identity in its source (movie id, MovieLens id, month): a repeat is `duplicate_id`. */
  key: number | string;
  rows: StagedRow[];
}

export interface SourceMapping {
  source: TransformSource;
  raw: { source: RawSourceName; file: string };
  /** The header the file must start with, as written in error messages. */
  expectedHeader: readonly string[];
  /** Throws DataError when the header is not the expected one (default: exact match). */
  checkHeader?: (header: readonly string[], object: string) => void;
  /** Datasets written, in contract order. */
  datasets: readonly string[];
  /** Datasets keyed by something other than the record (genres, people, …): repeats are dropped when cheap. */
  dimensions: readonly string[];
  /**
   * The key `map` gives the record, read alone (cheap: no other field is parsed); throws
   * RowRejection when the key field is bad. Lets a shard learn which keys the records before it
   * hold without mapping them all; a source without it is transformed whole.
   */
  keyOf?: (fields: readonly string[]) => number;
  /** Maps one record's fields (already checked to match the header's count). Throws RowRejection. */
  map: (fields: readonly string[]) => MappedRecord;
}

/** A raw source folder written by the extract step (`raw/movies/…`, `raw/cpi/…`). */
export type RawSourceName = (typeof RAW_SOURCE)[keyof typeof RAW_SOURCE];

type RowBuilder = (values: Record<string, CsvValue>) => StagedRow;

/**
 * A row builder for one dataset: takes values by column name and returns them in the contract's
 * order. A missing or extra column is a programming error; NULL in a NOT NULL column rejects the
 * record, and so does a value the model column cannot store (too long, out of its range): the
 * load would otherwise fail the whole dataset on it.
 */
export function rowOf(datasetName: string): RowBuilder {
  const dataset: StagedDataset = stagedDataset(datasetName);
  const names = dataset.columns.map((column) => column.name);
  const required = dataset.columns.flatMap((column, index) => (column.nullable ? [] : [index]));
  const limited = dataset.columns
    .map((column, index) => ({ index, check: limitCheck(`${datasetName}.${column.name}`, column) }))
    .filter((entry): entry is { index: number; check: (value: string) => void } => entry.check !== undefined);
  const wrongColumns = (values: Record<string, CsvValue>) =>
    new TypeError(`staged row for ${datasetName} has columns [${Object.keys(values).join(', ')}], expected [${names.join(', ')}]`);
  /** The row in column order, from values given in any order; a missing or extra column throws. */
  const inColumnOrder = (values: Record<string, CsvValue>): CsvValue[] => {
    for (const name in values) if (!names.includes(name)) throw wrongColumns(values);
    return names.map((name) => {
      if (!(name in values)) throw wrongColumns(values);
      return values[name] ?? null;
    });
  };
  // Called for every staged row. The mappings write their values in column order, so the row is
  // read off the object in its own key order (V8 makes that a plain field load per key), and only
  // another order or another set of keys takes the general way.
  return (values) => {
    // A copy of the names is an array of exactly the row's length (a pushed-to array reserves 16).
    const row: CsvValue[] = names.slice();
    let count = 0;
    for (const name in values) {
      if (name !== names[count]) return checkedRow(inColumnOrder(values));
      row[count++] = values[name] ?? null;
    }
    return checkedRow(count === names.length ? row : inColumnOrder(values));
  };

  /** Rejects the record when a required value is missing or a value does not fit its column. */
  function checkedRow(row: CsvValue[]): StagedRow {
    // By position in the row already built, not by name in the values object: this runs per row.
    for (const index of required) {
      if (row[index] === null) reject('missing_value', `${datasetName}.${names[index]} is required but missing`);
    }
    for (const { index, check } of limited) {
      const value = row[index];
      if (value !== null && value !== undefined) check(value);
    }
    return { dataset: datasetName, values: row };
  }
}

/** What the model column can store, checked on the staged text (see `StagedColumn`). */
function limitCheck(column: string, definition: StagedColumn): ((value: string) => void) | undefined {
  const { maxBytes, numeric } = definition;
  if (maxBytes !== undefined) {
    return (value) => {
      // A UTF-16 unit is at most 3 UTF-8 bytes: most values need no counting.
      if (value.length * 3 <= maxBytes) return;
      const bytes = Buffer.byteLength(value);
      if (bytes > maxBytes) reject('value_too_long', `${column}: ${bytes} bytes, the warehouse column holds at most ${maxBytes}`);
    };
  }
  if (numeric !== undefined) {
    return (value) => {
      if (!fitsNumeric(value, numeric.precision, numeric.scale)) {
        reject('out_of_range', `${column}: ${quote(value)} does not fit NUMERIC(${numeric.precision}, ${numeric.scale})`);
      }
    };
  }
  if (definition.type === 'double') {
    return (value) => {
      const number = Number(value);
      // PostgreSQL and Redshift refuse what overflows a double, and what underflows it to zero.
      if (!Number.isFinite(number) || (number === 0 && /[1-9]/.test(value))) {
        reject('out_of_range', `${column}: ${quote(value)} is beyond what a double precision number holds`);
      }
    };
  }
  if (definition.type === 'date') {
    // SQL has no year 0; the staged text is an ISO date already checked by the mapping.
    return (value) => {
      if (value.startsWith('0000')) reject('invalid_date', `${column}: ${quote(value)} has no year 0 in SQL`);
    };
  }
  return undefined;
}
