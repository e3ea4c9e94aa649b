/**
 * The data-quality checks, declared: a name, the sql/quality/ files that measure something per
 * subject (rows of `subject, value`), and what every value must be. Adding a check is adding a
 * line here and a SQL file. A file measuring every table or reference alike is a template filled
 * from the model's contract (contract-sql.ts): the lists of tables, keys and references are
 * written once, in tasks/core/staged.ts.
 *
 * One file may measure several checks in one statement over a large table (ratings-profile: 26M
 * ratings read by one statement, not one per check): its rows carry a `check_name` column, and
 * each check takes the rows that name it. Each file runs once per quality-check, whatever number of checks
 * read it.
 */
import { eachRecordReference, eachSourceRecordDataset, eachStagedDataset, type ContractSql } from './contract-sql';

export type Expectation =
  /** Every subject's value equals this (e.g. 0 duplicate keys). */
  | { kind: 'equals'; value: number }
  /** Every subject's value is at least this (e.g. 1 row per table). */
  | { kind: 'at_least'; value: number }
  /** Every dataset's value equals the rows its transform manifest reports for this run. */
  | { kind: 'transform_manifest_rows' };

/** Measured in code: several statements, of which the rows of one answer (ratings-profile.ts). */
export interface MeasuredInCode {
  measure: 'ratings_profile';
}

export type Measurement = string | ContractSql | MeasuredInCode;

export interface QualityCheck {
  name: string;
  describe: string;
  /**
   * `sql/` file names, e.g. `quality/cpi-values`, or templates filled from the contract; the
   * check's subjects are their rows, in order.
   */
  sql: readonly Measurement[];
  expect: Expectation;
}

/** Ratings rows, NULL keys, duplicate keys, out-of-range ratings, orphan ratings and the ratings ledger, in one statement. */
const RATINGS_PROFILE: MeasuredInCode = { measure: 'ratings_profile' };

export const QUALITY_CHECKS: readonly QualityCheck[] = [
  { name: 'tables_not_empty', describe: 'every model table has rows', sql: [eachStagedDataset('quality/row-counts'), RATINGS_PROFILE], expect: { kind: 'at_least', value: 1 } },
  { name: 'keys_not_null', describe: 'no key column is NULL', sql: [eachStagedDataset('quality/null-keys'), RATINGS_PROFILE], expect: { kind: 'equals', value: 0 } },
  { name: 'keys_unique', describe: 'no key is held by two rows', sql: [eachStagedDataset('quality/duplicate-keys'), RATINGS_PROFILE], expect: { kind: 'equals', value: 0 } },
  {
    name: 'references_resolve',
    describe: 'ratings reach loaded movies; every reference within one source record reaches its table',
    sql: [RATINGS_PROFILE, eachRecordReference('quality/orphan-references')],
    expect: { kind: 'equals', value: 0 },
  },
  {
    name: 'ratings_in_range',
    describe: 'ratings are 0.5 to 5 in steps of 0.5',
    sql: [RATINGS_PROFILE],
    expect: { kind: 'equals', value: 0 },
  },
  { name: 'cpi_monthly', describe: 'the CPI series has every month, each on its first day', sql: ['quality/cpi-continuity'], expect: { kind: 'equals', value: 0 } },
  { name: 'cpi_positive', describe: 'every CPI value is above 0', sql: ['quality/cpi-values'], expect: { kind: 'equals', value: 0 } },
  {
    name: 'ratings_ledger_balances',
    describe: 'every rating read is rejected, unmapped, not loaded, superseded or analysed (in the model), once',
    sql: [RATINGS_PROFILE],
    expect: { kind: 'equals', value: 0 },
  },
  {
    name: 'source_ledgers_balance',
    describe: 'every record a source read is rejected, a repeated id, or a row of the model table holding its records, once',
    sql: [eachSourceRecordDataset('quality/source-ledger')],
    expect: { kind: 'equals', value: 0 },
  },
  {
    name: 'staged_rows_loaded',
    describe: "every staged row of this run reached the warehouse (transform manifests vs the loads' counts)",
    sql: ['quality/staged-rows-loaded'],
    expect: { kind: 'transform_manifest_rows' },
  },
];
