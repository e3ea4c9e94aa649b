/**
 * `movalytics create-tables`: bring the warehouse model up to date; safe to run every time.
 *
 *   create the schema and the schema_migrations table if missing
 *     → list the versions already applied
 *     → apply each missing migration (sql/migrations/, in version order):
 *         shared ones in ONE transaction with their schema_migrations row (all or nothing), or,
 *         beyond the warehouse's statements per transaction (Redshift: 40), in several
 *         rerunnable batches, the row in the last (batches.ts);
 *         Redshift-only physical design statement by statement, then its row
 *     → report what was applied; a second run applies nothing.
 *
 * Runs started at once (two pipelines on a new warehouse) each succeed, and each migration is
 * applied by one of them: the schema and schema_migrations are created IF NOT EXISTS, a second
 * time when a concurrent run created them first; a migration's transaction takes a lock of
 * schema_migrations and then refuses a version recorded meanwhile, which this run then skips.
 */
import type { Logger } from '../core/log';
import type { TaskOutput } from '../core/result';
import type { WarehouseNames } from '../core/warehouse/identifiers';
import { quoteIdentifier } from '../core/warehouse/identifiers';
import { stringColumn } from '../core/warehouse/rows';
import { sqlScript, sqlStatement } from '../core/warehouse/sql-files';
import { sqlTimestamp, type Warehouse } from '../core/warehouse/warehouse';
import { migrationBatches } from './batches';
import { migrationsFor, type Migration } from './migrations';

export const TASK = 'create-tables';

export interface CreateTablesDeps {
  warehouse: Warehouse;
  names: WarehouseNames;
  logger: Logger;
  /** The clock, for applied_at. */
  now?: () => Date;
}

interface AppliedMigration {
  version: string;
  name: string;
  checksum: string;
}

export async function createTables(deps: CreateTablesDeps): Promise<TaskOutput> {
  const { warehouse, names, logger } = deps;
  await createIfMissing(warehouse, sqlStatement('bootstrap/create-schema', names, { schema: quoteIdentifier(names.schema) }));
  await createIfMissing(warehouse, sqlStatement('bootstrap/create-migrations-table', names));
  const applied = await appliedMigrations(deps);
  const appliedVersions = new Set(applied.map((row) => row.version));
  const migrations = migrationsFor(warehouse.kind);
  warnAboutEditedMigrations(migrations, applied, logger);

  const newlyApplied: string[] = [];
  for (const migration of migrations) {
    if (appliedVersions.has(migration.version)) continue;
    if (!(await applyMigration(deps, migration))) {
      logger.info(`migration ${migration.version}_${migration.name} was applied by a concurrent create-tables`);
      continue;
    }
    newlyApplied.push(`${migration.version}_${migration.name}`);
    logger.info(`applied migration ${migration.version}_${migration.name}`, { redshift_only: migration.redshiftOnly });
  }
  if (newlyApplied.length === 0) logger.info('warehouse model is up to date', { migrations: migrations.length });
  return {
    warehouse: warehouse.description,
    schema: names.schema,
    applied: newlyApplied,
    already_applied: migrations.length - newlyApplied.length,
  };
}

/**
 * IF NOT EXISTS is not atomic in PostgreSQL: when two runs create the same object at once, both
 * find the name free and the later one fails on the catalog's unique index. Run again, the
 * statement finds the object and does nothing; any other failure repeats and is thrown.
 */
async function createIfMissing(warehouse: Warehouse, sql: string): Promise<void> {
  try {
    await warehouse.execute(sql);
  } catch {
    await warehouse.execute(sql);
  }
}

async function appliedMigrations(deps: CreateTablesDeps): Promise<AppliedMigration[]> {
  return (await deps.warehouse.query(sqlStatement('bootstrap/list-applied-migrations', deps.names))).map((row) => ({
    version: stringColumn(row, 'version'),
    name: stringColumn(row, 'name'),
    checksum: stringColumn(row, 'checksum'),
  }));
}

/**
 * Applies one migration with its schema_migrations row; false when a concurrent run applied it
 * while this one waited for the lock (the refusal rolled this transaction back).
 */
async function applyMigration(deps: CreateTablesDeps, migration: Migration): Promise<boolean> {
  try {
    await runMigration(deps, migration);
    return true;
  } catch (error) {
    // A failure to list (the connection gone) must not hide why the migration failed.
    const recorded = await appliedMigrations(deps).catch(() => []);
    if (recorded.some((row) => row.version === migration.version)) return false;
    throw error;
  }
}

async function runMigration(deps: CreateTablesDeps, migration: Migration): Promise<void> {
  const { warehouse, names } = deps;
  const statements = sqlScript(migration.file, names);
  // The lock, then the refusal of a version a concurrent run recorded while this one waited.
  const claim = [sqlStatement('bootstrap/lock-migrations', names), sqlStatement('bootstrap/refuse-applied-migration', names)];
  const record = sqlStatement('bootstrap/record-migration', names);
  const params = {
    version: migration.version,
    name: migration.name,
    checksum: migration.checksum,
    applied_at: sqlTimestamp((deps.now ?? (() => new Date()))()),
  };
  if (migration.redshiftOnly) {
    // ALTER DISTSTYLE/DISTKEY/SORTKEY are not meant for a transaction block on Redshift. Setting
    // the same design twice, should two runs get here at once, changes nothing.
    for (const statement of statements) await warehouse.execute(statement);
    await warehouse.transaction([...claim, record], params);
  } else {
    const batches = migrationBatches({
      migration: `${migration.version}_${migration.name}`,
      claim,
      statements,
      record,
      maxStatements: warehouse.maxBatchStatements,
    });
    for (const batch of batches) await warehouse.transaction(batch, params);
  }
}

function warnAboutEditedMigrations(migrations: Migration[], applied: AppliedMigration[], logger: Logger): void {
  for (const row of applied) {
    const migration = migrations.find((candidate) => candidate.version === row.version);
    if (migration && migration.checksum !== row.checksum) {
      logger.warn(`migration ${row.version}_${row.name} was edited after it was applied: add a new migration instead`, {
        applied_checksum: row.checksum,
        file_checksum: migration.checksum,
      });
    }
  }
}
