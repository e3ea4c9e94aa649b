/**
 * The Redshift dialect check (redshift_dialect.py: sqlglot's Redshift parser, then allow-lists of
 * statement kinds, types and functions) from TypeScript, and the statements it is run on: every
 * SQL file that can reach Redshift, rendered as the adapters render it.
 *
 * sqlglot is Python: its interpreter comes from `MOVALYTICS_TEST_SQL_PARSER`, the venv that
 * scripts/services/sql-parser.sh installs (sourced by scripts/services/setup.sh).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { WarehouseNames, quoteIdentifier } from '../../tasks/core/warehouse/identifiers';
import { readSqlFile, renderSql, sqlRoot, type SqlFragments } from '../../tasks/core/warehouse/sql-files';
import { splitStatements } from '../../tasks/core/warehouse/sql-text';

export interface LocatedSql {
  /** The file (and statement number) or the request it came from. */
  where: string;
  sql: string;
}

export interface DialectProblem {
  where: string;
  problem: string;
}

const CHECKER = path.join(__dirname, 'redshift_dialect.py');

/** What Redshift would refuse or read otherwise in each statement; empty when all is Redshift's. */
export function redshiftDialectProblems(statements: LocatedSql[]): DialectProblem[] {
  const python = process.env.MOVALYTICS_TEST_SQL_PARSER;
  if (!python) throw new Error('MOVALYTICS_TEST_SQL_PARSER is not set: run `source scripts/services/setup.sh` first');
  const run = spawnSync(python, [CHECKER], { input: JSON.stringify(statements), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`redshift_dialect.py failed (${String(run.status)}): ${run.error?.message ?? run.stderr}`);
  return JSON.parse(run.stdout) as DialectProblem[];
}

/**
 * Files Redshift never receives, each for a reason the code makes true: the benchmark's own; the
 * COPY forms of PGlite and PostgreSQL (Redshift's are copy/redshift-*); and the first ratings load
 * into an empty model, which only the streaming path of PGlite and PostgreSQL takes
 * (tasks/load/ratings.ts `streamInto`), whose TRUNCATE Redshift would commit on the spot. The
 * pipeline on the stand-in checks every statement Redshift actually received, so a file wrongly
 * listed here still fails a test.
 */
export const NOT_SENT_TO_REDSHIFT = [/^bench\//, /^copy\/(pglite|postgres)-/, /^load\/ratings\/empty-model$/];

/**
 * Placeholder values as the code builds them (tasks/load/staged-dataset.ts, redshift-data-warehouse.ts
 * `copy`, tasks/create-tables, tasks/data-dictionary), so that a rendered file is what Redshift would
 * receive. A template with a placeholder not named here fails, asking for a representative value.
 */
export function representativeFragments(names: WarehouseNames): SqlFragments {
  return {
    schema: quoteIdentifier(names.schema),
    staging: names.staging('movies', 'run-1'),
    model: names.table('movies'),
    table: names.table('movies'),
    key_columns: quoteIdentifier('movie_id'),
    columns: ['movie_id', 'title'].map(quoteIdentifier).join(', '),
    source: "'s3://movalytics-lake/staged/movies/run-1/'",
    iam_role: "'arn:aws:iam::123456789012:role/movalytics-copy'",
    options: "GZIP\nREGION 'eu-west-1'",
  };
}

/** Every `.sql` file under sql/, by name without extension (`load/movies/insert-model`), sorted. */
export function allSqlFiles(folder = sqlRoot(), prefix = ''): string[] {
  return readdirSync(folder)
    .sort()
    .flatMap((entry) => {
      const full = path.join(folder, entry);
      if (statSync(full).isDirectory()) return allSqlFiles(full, `${prefix}${entry}/`);
      return entry.endsWith('.sql') ? [`${prefix}${entry.slice(0, -'.sql'.length)}`] : [];
    });
}

/** Every statement of every file Redshift may receive, rendered with representative fragments. */
export function redshiftBoundStatements(names = new WarehouseNames('movalytics', 'dev_')): LocatedSql[] {
  const fragments = representativeFragments(names);
  return allSqlFiles()
    .filter((file) => !NOT_SENT_TO_REDSHIFT.some((pattern) => pattern.test(file)))
    .flatMap((file) => {
      let statements: string[];
      try {
        statements = splitStatements(renderSql(readSqlFile(file), fragments, names));
      } catch (error) {
        throw new Error(`sql/${file}.sql: ${(error as Error).message}; give it a representative value in test/support/redshift-dialect.ts`);
      }
      return statements.map((sql, index) => ({ where: statements.length > 1 ? `${file} #${index + 1}` : file, sql }));
    });
}
