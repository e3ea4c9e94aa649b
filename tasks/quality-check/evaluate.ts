/** Runs one declared check and judges every subject it measures. */
import type { Lake } from '../core/lake/lake';
import { STAGED_DATASETS, TRANSFORM_SOURCES } from '../core/staged';
import { readFinishedTransformManifest } from '../core/transform-manifests';
import { describeError } from '../core/errors';
import type { WarehouseNames } from '../core/warehouse/identifiers';
import { numberColumn, stringColumn } from '../core/warehouse/rows';
import { sqlStatement } from '../core/warehouse/sql-files';
import type { Row, Warehouse } from '../core/warehouse/warehouse';
import type { Expectation, Measurement, QualityCheck } from './checks';
import { contractStatement } from './contract-sql';
import { measureRatings, type RatingsMeasuredFrom } from './ratings-profile';

export type SubjectResult = { subject: string; value: number | null; expected: string; passed: boolean };

export type CheckResult = {
  name: string;
  describe: string;
  passed: boolean;
  failures: number;
  subjects: SubjectResult[];
  /** Set when the check could not run (its SQL failed); the check then counts as failed. */
  error?: string;
};

export interface CheckDeps {
  warehouse: Warehouse;
  names: WarehouseNames;
  lake: Lake;
  runId: string;
}

/**
 * Runs each sql/quality/ file once, however many checks read it (ratings-profile feeds six): the
 * first check to need a file starts its query, the others share the same promise, its rows or its
 * failure.
 */
export class Measurements {
  private readonly queries = new Map<string, Promise<Row[]>>();
  /** How the ratings were measured, once they were. */
  ratingsMeasuredFrom: RatingsMeasuredFrom | undefined;

  constructor(private readonly deps: CheckDeps) {}

  rows(measurement: Measurement): Promise<Row[]> {
    const [key, measure] = this.measurer(measurement);
    let rows = this.queries.get(key);
    if (rows === undefined) {
      rows = measure();
      this.queries.set(key, rows);
    }
    return rows;
  }

  /** The measurement's key (one query per key) and how it is measured. */
  private measurer(measurement: Measurement): [string, () => Promise<Row[]>] {
    // Checks about one run use :run_id; adapters bind only the parameters a statement names.
    // The statement is rendered only when the key is measured first.
    const query = (statement: () => string) => () => this.deps.warehouse.query(statement(), { run_id: this.deps.runId });
    if (typeof measurement === 'string') return [measurement, query(() => sqlStatement(measurement, this.deps.names))];
    if ('template' in measurement) return [`${measurement.template} (${measurement.each})`, query(() => contractStatement(measurement, this.deps.names))];
    return [
      measurement.measure,
      async () => {
        const { rows, from } = await measureRatings(this.deps);
        this.ratingsMeasuredFrom = from;
        return rows;
      },
    ];
  }
}

export async function runCheck(deps: CheckDeps, measurements: Measurements, check: QualityCheck): Promise<CheckResult> {
  const measured = new Map<string, number>();
  for (const measurement of check.sql) {
    for (const row of await measurements.rows(measurement)) {
      // A file measuring several checks names the check of each row; the others measure one.
      if (row.check_name !== undefined && stringColumn(row, 'check_name') !== check.name) continue;
      measured.set(stringColumn(row, 'subject'), numberColumn(row, 'value'));
    }
  }
  const subjects = await judge(deps, check.expect, measured);
  const failures = subjects.filter((subject) => !subject.passed).length;
  return { name: check.name, describe: check.describe, passed: failures === 0, failures, subjects };
}

/** A check whose SQL failed: recorded as failed with the error, so the other checks still run. */
export function erroredCheck(check: QualityCheck, error: unknown): CheckResult {
  return { name: check.name, describe: check.describe, passed: false, failures: 1, subjects: [], error: describeError(error) };
}

async function judge(deps: CheckDeps, expect: Expectation, measured: Map<string, number>): Promise<SubjectResult[]> {
  switch (expect.kind) {
    case 'equals':
      return [...measured].map(([subject, value]) => ({ subject, value, expected: `= ${expect.value}`, passed: value === expect.value }));
    case 'at_least':
      return [...measured].map(([subject, value]) => ({ subject, value, expected: `>= ${expect.value}`, passed: value >= expect.value }));
    case 'transform_manifest_rows':
      return judgeAgainstManifests(deps, measured);
  }
}

/** Each staged dataset's loaded row count against the rows its transform wrote for this run. */
async function judgeAgainstManifests(deps: CheckDeps, loaded: Map<string, number>): Promise<SubjectResult[]> {
  const results: SubjectResult[] = [];
  for (const source of TRANSFORM_SOURCES) {
    const { key, manifest } = await readFinishedTransformManifest(deps.lake, source, deps.runId);
    for (const dataset of STAGED_DATASETS.filter((candidate) => candidate.source === source)) {
      const staged = manifest?.outputs[dataset.name]?.rows;
      const value = loaded.get(dataset.name) ?? null;
      const expected = staged === undefined ? `a count in ${key} (missing)` : `= ${staged} (${key})`;
      results.push({ subject: dataset.name, value, expected, passed: staged !== undefined && value === staged });
    }
  }
  return results;
}
