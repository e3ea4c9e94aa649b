/**
 * `movalytics quality-check`: run every declared check (checks.ts) against the warehouse.
 *
 *   for each check: run its sql/quality/ files (each file once per run, whatever number of
 *     checks read it) → judge every subject against the expectation
 *     (a check whose SQL fails is recorded as failed, and the others still run)
 *   → log a readable table of every subject → write manifests/quality-check/<run_id>.json
 *   → exit 0 when all pass; 65 when any failed, with every result in the task result.
 *
 * An empty table fails (`tables_not_empty`): the original project's check could not.
 */
import { DataError, TransientError } from '../core/errors';
import { putJson } from '../core/lake/lake';
import { layout } from '../core/lake/layout';
import type { Logger } from '../core/log';
import type { TaskOutput } from '../core/result';
import { QUALITY_CHECKS, type QualityCheck } from './checks';
import { erroredCheck, Measurements, runCheck, type CheckDeps, type CheckResult } from './evaluate';
import { resultsTable } from './results-table';

export const TASK = 'quality-check';

export interface QualityCheckDeps extends CheckDeps {
  logger: Logger;
}

export async function qualityCheck(deps: QualityCheckDeps, checks: readonly QualityCheck[] = QUALITY_CHECKS): Promise<TaskOutput> {
  const results: CheckResult[] = [];
  const measurements = new Measurements(deps);
  let transient: unknown;
  for (const check of checks) {
    try {
      results.push(await runCheck(deps, measurements, check));
    } catch (error) {
      if (error instanceof TransientError) transient ??= error;
      results.push(erroredCheck(check, error));
    }
  }
  const failed = results.filter((result) => !result.passed);
  deps.logger.info(`quality checks:\n${resultsTable(results)}`, { ratings_measured_from: measurements.ratingsMeasuredFrom });
  const manifest = layout.manifest(TASK, deps.runId);
  const measuredFrom: Record<string, string> = measurements.ratingsMeasuredFrom ? { ratings_measured_from: measurements.ratingsMeasuredFrom } : {};
  await putJson(deps.lake, manifest, { task: TASK, run_id: deps.runId, warehouse: deps.warehouse.description, ...measuredFrom, checks: results });
  const output: TaskOutput = {
    warehouse: deps.warehouse.description,
    ...measuredFrom,
    passed: results.length - failed.length,
    failed: failed.length,
    checks: results,
    manifest,
  };
  if (failed.length === 0) return output;
  // A check that could not run for a passing reason (network, busy warehouse) is worth a retry.
  if (transient !== undefined && failed.every((result) => result.error !== undefined)) throw (transient as TransientError).withOutput(output);
  throw new DataError(`${failed.length} of ${results.length} quality checks failed: ${failed.map((result) => result.name).join(', ')}`, {
    object: manifest,
  }).withOutput(output);
}
