/**
 * What each source's mapping (sources/*.ts) provides to the transform: where its raw object is,
 * the header it expects, and how one source record becomes rows of staged datasets. A mapping
 * either returns every row of a record or rejects the whole record: never half of it.
 */
import type { RAW_SOURCE } from '../core/lake/layout';
import { stagedDataset, type StagedDataset, type TransformSource } from '../core/staged';
import type { CsvValue } from './gzip-csv-object';
import { reject } from './rejection';

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
  /** Maps one record's fields (already checked to match the header's count). Throws RowRejection. */
  map: (fields: readonly string[]) => MappedRecord;
}

/** A raw source folder written by the extract step (`raw/movies/…`, `raw/cpi/…`). */
export type RawSourceName = (typeof RAW_SOURCE)[keyof typeof RAW_SOURCE];

type RowBuilder = (values: Record<string, CsvValue>) => StagedRow;

/**
 * A row builder for one dataset: takes values by column name and returns them in the contract's
 * order. A missing or extra column is a programming error; NULL in a NOT NULL column rejects the record.
 */
export function rowOf(datasetName: string): RowBuilder {
  const dataset: StagedDataset = stagedDataset(datasetName);
  const names = dataset.columns.map((column) => column.name);
  const required = dataset.columns.filter((column) => !column.nullable).map((column) => column.name);
  return (values) => {
    const keys = Object.keys(values);
    if (keys.length !== names.length || names.some((name) => !(name in values))) {
      throw new TypeError(`staged row for ${datasetName} has columns [${keys.join(', ')}], expected [${names.join(', ')}]`);
    }
    for (const name of required) {
      if (values[name] === null) reject('missing_value', `${datasetName}.${name} is required but missing`);
    }
    return { dataset: datasetName, values: names.map((name) => values[name] ?? null) };
  };
}
