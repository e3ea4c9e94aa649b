/**
 * Reads SQL from the `sql/` folder by name (`sqlScript('load/ratings/insert-model')` reads
 * `sql/load/ratings/insert-model.sql`) and fills its table placeholders:
 *
 * - `{{movies}}` → the qualified model table `"<schema>"."<prefix>movies"` (model.ts lists them);
 * - `{{name}}` given in `fragments` → that text, which the caller built only from validated,
 *   quoted identifiers or checked literals (the run's staging table, a column list, COPY's S3 URL);
 * - `{{latest_ratings_load}}` → the statement of `sql/fragments/latest-ratings-load.sql`, rendered:
 *   SQL that several files share, written once.
 *
 * Placeholders are filled in code only, never in comments or literals. Any other placeholder is
 * an error. Values are named parameters (`:run_id`) bound by the
 * warehouse adapter, never substituted. Files are small and read once per process.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { WarehouseNames } from './identifiers';
import { isModelTable } from './model';
import { replaceInCode, splitStatements } from './sql-text';

const PLACEHOLDER = /\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}/g;
const cache = new Map<string, string>();

/** The `sql/` folder: beside `tasks/` in the repository, beside `dist/` in a build or an image. */
export function sqlRoot(): string {
  let directory = __dirname;
  for (;;) {
    const candidate = path.join(directory, 'sql');
    if (existsSync(path.join(candidate, 'migrations'))) return candidate;
    const parent = path.dirname(directory);
    if (parent === directory) throw new Error(`no sql/ folder above ${__dirname}`);
    directory = parent;
  }
}

export function readSqlFile(name: string): string {
  if (!/^[a-z0-9_/.-]+$/.test(name) || name.split('/').includes('..')) throw new TypeError(`invalid SQL file name "${name}"`);
  let text = cache.get(name);
  if (text === undefined) {
    const file = path.join(sqlRoot(), `${name}.sql`);
    text = readFileSync(file, 'utf8');
    cache.set(name, text);
  }
  return text;
}

/** The names of the `.sql` files of a folder of `sql/`, without extension, sorted. */
export function listSqlFiles(folder: string): string[] {
  const directory = path.join(sqlRoot(), folder);
  return readdirSync(directory)
    .filter((file) => file.endsWith('.sql'))
    .map((file) => file.slice(0, -'.sql'.length))
    .sort();
}

export type SqlFragments = Readonly<Record<string, string>>;

/**
 * Fills the placeholders of the SQL code. Comments and literals are left as written: a comment
 * that names `{{options}}` to explain it must not receive GZIP or REGION in the middle of its
 * sentence (the rest of the sentence would become code).
 */
export function renderSql(text: string, fragments: SqlFragments, names?: WarehouseNames): string {
  return replaceInCode(text, (code) =>
    code.replace(PLACEHOLDER, (_match, name: string) => {
      const fragment = fragments[name];
      if (fragment !== undefined) return fragment;
      if (names && isModelTable(name)) return names.table(name);
      const shared = sharedFragment(name, names);
      if (shared !== undefined) return shared;
      throw new TypeError(`SQL placeholder {{${name}}} is neither a model table nor given`);
    }),
  );
}

/** `{{a_name}}` → the statement of `sql/fragments/a-name.sql`, rendered; undefined without that file. */
function sharedFragment(name: string, names: WarehouseNames | undefined): string | undefined {
  const file = `fragments/${name.replace(/_/g, '-')}`;
  if (!cache.has(file) && !existsSync(path.join(sqlRoot(), `${file}.sql`))) return undefined;
  return sqlStatement(file, names);
}

/** Every statement of a file, rendered. */
export function sqlScript(name: string, names: WarehouseNames | undefined, fragments: SqlFragments = {}): string[] {
  return splitStatements(renderSql(readSqlFile(name), fragments, names));
}

/** The one statement of a file, rendered; a file with several statements is a mistake here. */
export function sqlStatement(name: string, names: WarehouseNames | undefined, fragments: SqlFragments = {}): string {
  const statements = sqlScript(name, names, fragments);
  if (statements.length !== 1) throw new Error(`sql/${name}.sql must hold exactly one statement, found ${statements.length}`);
  return statements[0] as string;
}
