/**
 * The one transaction that switches the model tables of a load to the run's snapshot:
 *
 *   LOCK load_stats and every model table it writes (one global order: lock-replaced.sql)
 *   → for each dataset: empty the model table (TRUNCATE; DELETE on Redshift) and insert its
 *     staging rows, one row per key (ranked only where the staged rows repeat a key)
 *   → replace the run's counts of these datasets in load_stats (two statements for all of them).
 *
 * Readers see the old tables or the new ones, never a mix, across every dataset of the load. On
 * Redshift the whole transaction is one Data API batch: 3 + 2 per dataset statements, within its
 * 40 for the 18 contract datasets at once.
 */
import { UsageError } from '../core/errors';
import type { SourceLedgerCounts, StagedDataset } from '../core/staged';
import { numberColumn } from '../core/warehouse/rows';
import { sqlStatement, type SqlFragments } from '../core/warehouse/sql-files';
import { sqlTimestamp, type SqlParams, type StreamingWarehouse } from '../core/warehouse/warehouse';
import type { LoadDeps } from './deps';
import { emptyModelFile, insertModelFile, lockStatement, statsFragments, statsParams } from './load-sql';

/** A dataset whose run is in its staging table, counted and checked. */
export interface StagedLoad {
  dataset: StagedDataset;
  fragments: SqlFragments;
  objects: string[];
  rowsStaged: number;
  rowsLoaded: number;
  /** The source's ledger, for a dataset that holds its source's records (and a manifest that states it). */
  ledger?: SourceLedgerCounts;
}

/** Replaces the model tables of the staged datasets in one transaction; returns the rows each held before. */
export async function replaceModels(deps: LoadDeps, loads: readonly StagedLoad[]): Promise<number[]> {
  const { warehouse, names } = deps;
  const lock = lockStatement(names, loads.map((load) => load.dataset.name));
  const replace = loads.map((load) => ({
    count: sqlStatement('load/count-model', names, load.fragments),
    empty: sqlStatement(emptyModelFile(warehouse.kind), names, load.fragments),
    insert: sqlStatement(insertModelFile(load.dataset, load.rowsLoaded < load.rowsStaged), names, load.fragments),
  }));
  const statsSql = statsFragments(loads.map((load) => load.ledger !== undefined));
  const stats = [sqlStatement('load/delete-stats', names, statsSql), sqlStatement('load/record-stats', names, statsSql)];
  const params: SqlParams = {
    run_id: deps.runId,
    recorded_at: sqlTimestamp(deps.now()),
    ...statsParams(loads.map((load) => ({ dataset: load.dataset.name, rows_staged: load.rowsStaged, rows_loaded: load.rowsLoaded, ledger: load.ledger }))),
  };
  if (warehouse.streaming) return inSession(warehouse.streaming, lock, replace, stats, params);

  // Redshift: one batch; DELETE's row count is the rows each table held.
  const statements = [lock, ...replace.flatMap((step) => [step.empty, step.insert]), ...stats];
  if (warehouse.maxBatchStatements !== undefined && statements.length > warehouse.maxBatchStatements) {
    throw new UsageError(`a load of ${loads.length} datasets takes ${statements.length} statements in one transaction, but ${warehouse.description} takes at most ${warehouse.maxBatchStatements}: load fewer datasets at once`);
  }
  const affected = await warehouse.transaction(statements, params);
  return replace.map((_step, index) => affected[1 + 2 * index] ?? 0);
}

/** PGlite, PostgreSQL: TRUNCATE reports no rows, so each table is counted under the lock first. */
function inSession(
  streaming: StreamingWarehouse,
  lock: string,
  replace: ReadonlyArray<{ count: string; empty: string; insert: string }>,
  stats: readonly string[],
  params: SqlParams,
): Promise<number[]> {
  return streaming.inTransaction(async (session) => {
    await session.execute(lock);
    const replaced: number[] = [];
    for (const step of replace) {
      replaced.push(numberColumn((await session.query(step.count))[0], 'model_rows'));
      await session.execute(step.empty);
      await session.execute(step.insert);
    }
    for (const statement of stats) await session.execute(statement, params);
    return replaced;
  });
}
