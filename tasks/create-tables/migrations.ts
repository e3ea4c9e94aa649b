/**
 * The versioned migrations in `sql/migrations/`: `NNNN_name.sql` applies to every warehouse,
 * `NNNN_name.redshift.sql` to Redshift only (physical design). Versions are applied in order and
 * recorded in the warehouse's schema_migrations table with the file's checksum.
 */
import { createHash } from 'node:crypto';
import { listSqlFiles, readSqlFile } from '../core/warehouse/sql-files';
import type { WarehouseKind } from '../core/warehouse/warehouse';

export interface Migration {
  version: string;
  name: string;
  /** `sql/` file name without extension, e.g. `migrations/0001_create_model`. */
  file: string;
  redshiftOnly: boolean;
  checksum: string;
}

const MIGRATION_FILE = /^(\d{4})_([a-z0-9_]+?)(\.redshift)?$/;

export function listMigrations(): Migration[] {
  const migrations = listSqlFiles('migrations').map((base): Migration => {
    const match = MIGRATION_FILE.exec(base);
    if (!match) throw new Error(`sql/migrations/${base}.sql: expected NNNN_name.sql or NNNN_name.redshift.sql`);
    const file = `migrations/${base}`;
    return {
      version: match[1] as string,
      name: match[2] as string,
      file,
      redshiftOnly: match[3] !== undefined,
      checksum: createHash('sha256').update(readSqlFile(file)).digest('hex'),
    };
  });
  const versions = migrations.map((migration) => migration.version);
  const repeated = versions.find((version, index) => versions.indexOf(version) !== index);
  if (repeated) throw new Error(`two migrations share version ${repeated}`);
  return migrations;
}

export function migrationsFor(kind: WarehouseKind): Migration[] {
  return listMigrations().filter((migration) => !migration.redshiftOnly || kind === 'redshift');
}
