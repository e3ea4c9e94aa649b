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
import { readSqlFile, renderSql, sqlRoot, sqlStatement, type SqlFragments } from '../../tasks/core/warehouse/sql-files';
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
 * COPY forms of PGlite and PostgreSQL (Redshift's are copy/redshift-*); a file with a Redshift
 * variant beside it (`x.redshift.sql` is sent instead of `x.sql`); and the first ratings load into
 * an empty model, which only the streaming path of PGlite and PostgreSQL takes (tasks/load/ratings.ts
 * `streamInto`). The pipeline on the stand-in checks every statement Redshift actually received,
 * so a file wrongly left out here still fails a test.
 */
// The sharded ratings load's next table and its swap are PGlite's and PostgreSQL's only (ratings-shard.ts),
// and so is the writing of the ratings summaries (RatingsRun.replaceSummaries: only the streaming load
// counts them; their readers, in ratings-summary/, quality/ and report/, are checked like any file),
// with the trigger that counts the ratings' writes and its reader, ratings-summary/unwritten.
export const NOT_SENT_TO_REDSHIFT = [/^bench\//, /^copy\/(pglite|postgres)-/, /^load\/ratings\/shards\//, /^load\/ratings\/summary\//, /^ratings-summary\/unwritten$/];
const STREAMING_ONLY = ['load/ratings/empty-model'];
const NO_COUNTING_TRIGGER = 'SELECT 1 AS unwritten WHERE 1 = 0';

/** Whether Redshift may receive the file's statements (see NOT_SENT_TO_REDSHIFT). */
export function sentToRedshift(file: string, files: readonly string[]): boolean {
  if (NOT_SENT_TO_REDSHIFT.some((pattern) => pattern.test(file)) || STREAMING_ONLY.includes(file)) return false;
  return !files.includes(`${file}.redshift`);
}

/**
 * Placeholder values as the code builds them (tasks/load/staged-dataset.ts, redshift-data-warehouse.ts
 * `copy`, tasks/create-tables, tasks/data-dictionary), so that a rendered file is what Redshift would
 * receive. A template with a placeholder not named here is checked only as the pipeline renders it.
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
    // The generic load templates' (tasks/load/load-sql.ts), for two datasets.
    models: [names.table('movies'), names.table('ratings')].join(', '),
    other_columns: quoteIdentifier('title'),
    staging_columns: `${quoteIdentifier('movie_id')} INTEGER NOT NULL,\n  ${quoteIdentifier('title')} VARCHAR(65535)`,
    n: '1',
    dataset_parameters: 'CAST(:dataset_1 AS VARCHAR(64)), CAST(:dataset_2 AS VARCHAR(64))',
    dataset_counts: [1, 2]
      .map((n) => `SELECT CAST(:dataset_${n} AS VARCHAR(64)) AS dataset, 'rows_staged' AS metric, CAST(:rows_staged_${n} AS BIGINT) AS value`)
      .join('\nUNION ALL\n'),
    // The generated key and reference checks' (tasks/quality-check/contract-sql.ts).
    subject: "'movie_genres.movie_id -> movies'",
    key_is_null: `${quoteIdentifier('movie_id')} IS NULL OR ${quoteIdentifier('genre_id')} IS NULL`,
    parent: names.table('movies'),
    parent_key: quoteIdentifier('movie_id'),
    column: quoteIdentifier('movie_id'),
    null_is_orphan: 'FALSE',
    // The ratings' aggregates as Redshift computes them (its load writes no summaries), and the
    // check of the summaries, which Redshift would run if a load wrote them.
    ratings_profile: sqlStatement('quality/ratings-profile-scanned', names),
    // Without a counting trigger (unwritten.sql is PGlite's and PostgreSQL's): no row, the ratings are scanned.
    ratings_unwritten: NO_COUNTING_TRIGGER,
    verified: sqlStatement('ratings-summary/verified', names, { ratings_unwritten: NO_COUNTING_TRIGGER }),
    ratings_per_movie: sqlStatement('report/ratings-per-movie-aggregated', names),
    users_per_genre: sqlStatement('report/users-per-genre-aggregated', names),
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

export interface RedshiftBoundFiles {
  /** Every statement of every file Redshift may receive, rendered with representative fragments. */
  statements: LocatedSql[];
  /**
   * Files with a placeholder only the code can fill (a template rendered from the contract at run
   * time, with no representative value here): redshift-pipeline.test.ts checks them as Redshift
   * receives them.
   */
  renderedAtRunTimeOnly: string[];
}

export function redshiftBoundFiles(names = new WarehouseNames('movalytics', 'dev_')): RedshiftBoundFiles {
  const files = allSqlFiles().filter((file, _index, all) => sentToRedshift(file, all));
  const rendered = files.map((file) => ({ file, statements: renderedFile(file, names) }));
  return {
    statements: rendered.flatMap((entry) => entry.statements ?? []),
    renderedAtRunTimeOnly: rendered.filter((entry) => entry.statements === undefined).map((entry) => entry.file),
  };
}

/** The files Redshift receives another way of doing the same in (a Redshift variant, the COPY from S3). */
export function filesWithARedshiftAlternative(): string[] {
  const files = allSqlFiles();
  return files.filter((file) => !sentToRedshift(file, files) && !NOT_SENT_TO_REDSHIFT.some((pattern) => pattern.test(file)));
}

/** The statements of one file, rendered as the adapters render it; undefined when a placeholder has no representative value. */
export function renderedFile(file: string, names = new WarehouseNames('movalytics', 'dev_')): LocatedSql[] | undefined {
  let statements: string[];
  try {
    statements = splitStatements(renderSql(readSqlFile(file), representativeFragments(names), names));
  } catch (error) {
    if (error instanceof TypeError && /^SQL placeholder \{\{/.test(error.message)) return undefined;
    throw error;
  }
  return statements.map((sql, index) => ({ where: statements.length > 1 ? `${file} #${index + 1}` : file, sql }));
}
