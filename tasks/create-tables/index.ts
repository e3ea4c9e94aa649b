/**
 * `movalytics create-tables`: bring the warehouse model up to date; safe to run every time.
 *
 *   create the schema and the schema_migrations table if missing
 *     → list the versions already applied
 *     → apply each missing migration (sql/migrations/, in version order):
 *         shared ones in ONE transaction with their schema_migrations row (all or nothing);
 *         Redshift-only physical design statement by statement, then its row
 *     → report what was applied; a second run applies nothing.
 *
 * Concurrent runs serialise on a lock of schema_migrations; every statement is idempotent
 * (IF NOT EXISTS), so the later run changes nothing.
 */
import type { Logger } from '../core/log';
import type { TaskOutput } from '../core/result';
import type { WarehouseNames } from '../core/warehouse/identifiers';
import { quoteIdentifier } from '../core/warehouse/identifiers';
import { stringColumn } from '../core/warehouse/rows';
import { sqlScript, sqlStatement } from '../core/warehouse/sql-files';
import { sqlTimestamp, type Warehouse } from '../core/warehouse/warehouse';
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
  await warehouse.execute(sqlStatement('bootstrap/create-schema', names, { schema: quoteIdentifier(names.schema) }));
  await warehouse.execute(sqlStatement('bootstrap/create-migrations-table', names));
  const applied = (await warehouse.query(sqlStatement('bootstrap/list-applied-migrations', names))).map(
    (row): AppliedMigration => ({
      version: stringColumn(row, 'version'),
      name: stringColumn(row, 'name'),
      checksum: stringColumn(row, 'checksum'),
    }),
  );
  const appliedVersions = new Set(applied.map((row) => row.version));
  const migrations = migrationsFor(warehouse.kind);
  warnAboutEditedMigrations(migrations, applied, logger);

  const newlyApplied: string[] = [];
  for (const migration of migrations) {
    if (appliedVersions.has(migration.version)) continue;
    await applyMigration(deps, migration);
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

async function applyMigration(deps: CreateTablesDeps, migration: Migration): Promise<void> {
  const { warehouse, names } = deps;
  const statements = sqlScript(migration.file, names);
  const record = [sqlStatement('bootstrap/lock-migrations', names), sqlStatement('bootstrap/record-migration', names)];
  const params = {
    version: migration.version,
    name: migration.name,
    checksum: migration.checksum,
    applied_at: sqlTimestamp((deps.now ?? (() => new Date()))()),
  };
  if (migration.redshiftOnly) {
    // ALTER DISTSTYLE/DISTKEY/SORTKEY are not meant for a transaction block on Redshift.
    for (const statement of statements) await warehouse.execute(statement);
    await warehouse.transaction(record, params);
  } else {
    await warehouse.transaction([record[0] as string, ...statements, record[1] as string], params);
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
