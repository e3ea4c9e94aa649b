/**
 * The data dictionary against a real warehouse: a fresh PGlite after create-tables. Every model
 * table and column has a description; keys agree with the quality checks; references are the
 * joins the column comments name; docs/data-dictionary.md is exactly what the command writes
 * (its row counts aside), through PGlite and through the Redshift Data API; --row-counts counts real
 * rows; the CLI exits 2 before create-tables.
 */
import { migrationsFor } from '../tasks/create-tables/migrations';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTables } from '../tasks/create-tables';
import { readCatalog, type CatalogTable } from '../tasks/data-dictionary/catalog';
import { writeDataDictionary } from '../tasks/data-dictionary/index';
import { tableKey } from '../tasks/data-dictionary/keys';
import { contractStatement, eachStagedDataset } from '../tasks/quality-check/contract-sql';
import { MODEL_TABLE_CONTRACTS } from '../tasks/core/staged';
import { renderDictionary, withoutRowCounts } from '../tasks/data-dictionary/markdown';
import { buildDictionary, undescribed, type Dictionary } from '../tasks/data-dictionary/model';
import { WarehouseNames } from '../tasks/core/warehouse/identifiers';
import { MODEL_DATA_TABLES, MODEL_TABLES } from '../tasks/core/warehouse/model';
import { openWarehouse } from '../tasks/core/warehouse/open-warehouse';
import { readSqlFile } from '../tasks/core/warehouse/sql-files';
import type { Warehouse } from '../tasks/core/warehouse/warehouse';
import { buildCli, runCli, type BuiltCli } from './support/cli-process';
import { redshiftDataTarget } from './support/warehouse-targets';
import { silentLogger } from './support/silent-logger';

const ROOT = path.resolve(__dirname, '..');
const COMMITTED = path.join(ROOT, 'docs', 'data-dictionary.md');
const silent = silentLogger();
const names = new WarehouseNames('movalytics', '');

let work: string;
let warehouseUrl: string;
let warehouse: Warehouse | undefined;
let catalog: CatalogTable[];
let dictionary: Dictionary;

async function openShared(): Promise<Warehouse> {
  warehouse ??= await openWarehouse(warehouseUrl);
  return warehouse;
}

async function releaseShared(): Promise<void> {
  await warehouse?.close();
  warehouse = undefined;
}

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'data-dictionary-'));
  warehouseUrl = `pglite://${path.join(work, 'warehouse')}`;
  await createTables({ warehouse: await openShared(), names, logger: silent });
  catalog = await readCatalog(await openShared(), names);
  dictionary = buildDictionary(catalog);
}, 120_000);

afterAll(async () => {
  await releaseShared();
  await rm(work, { recursive: true, force: true });
});

describe('the model as the catalog describes it', () => {
  it('has every model table, and every table and column has a description (COMMENT ON in sql/migrations/)', () => {
    expect(catalog.map((table) => table.name)).toEqual(MODEL_TABLES);
    expect(undescribed(dictionary)).toEqual([]);
    expect(dictionary.tables.reduce((sum, table) => sum + table.columns.length, 0)).toBeGreaterThan(80);
  });

  it('keys exist as columns and are the keys the duplicate-keys quality check groups by', () => {
    const checked = duplicateKeyChecks();
    expect([...checked.keys()].sort()).toEqual([...MODEL_DATA_TABLES].sort());
    for (const table of catalog) {
      const columns = table.columns.map((column) => column.name);
      expect({ table: table.name, missing: tableKey(table.name).filter((key) => !columns.includes(key)) }).toEqual({ table: table.name, missing: [] });
      const check = checked.get(table.name);
      if (check?.groupedBy) expect({ table: table.name, key: tableKey(table.name) }).toEqual({ table: table.name, key: check.groupedBy });
      else if (check) expect({ table: table.name, unnamed: tableKey(table.name).filter((key) => !check.text.includes(key)) }).toEqual({ table: table.name, unnamed: [] });
    }
  });

  it('references are exactly the joins the column comments name', () => {
    const derived = dictionary.references.map((reference) => `${reference.table}.${reference.column} -> ${reference.parent}.${reference.parentColumn}`);
    const named: string[] = [];
    for (const table of catalog) {
      const ownKey = tableKey(table.name);
      for (const column of table.columns) {
        const joined = /joins (\w+)\.(\w+)/i.exec(column.description ?? '');
        if (!joined) continue;
        const [, parent = '', parentColumn = ''] = joined;
        // release_dates.release_date says which column joins it: a table's own key references nothing.
        if (ownKey.length === 1 && ownKey[0] === column.name) continue;
        expect(tableKey(parent)).toEqual([parentColumn]);
        named.push(`${table.name}.${column.name} -> ${parent}.${parentColumn}`);
      }
    }
    expect(derived.sort()).toEqual(named.sort());
    // Same name, different meaning: an integer month is not the CPI's date; one credit is not another.
    expect(derived).not.toContain('release_dates.month -> cpi.month');
    expect(derived.filter((reference) => reference.startsWith('cast_members.credit_id'))).toEqual([]);
    expect(derived).toContain('links.tmdb_id -> movies.movie_id');
    // Every reference the contract declares names a real column, so none is silently dropped.
    const declared = MODEL_TABLE_CONTRACTS.flatMap((contract) => (contract.references ?? []).map((reference) => `${contract.name}.${reference.column} -> ${reference.table}`));
    expect(derived.map((reference) => reference.replace(/\.\w+$/, '')).sort()).toEqual(declared.sort());
  });
});

describe('docs/data-dictionary.md', () => {
  it('is what `movalytics data-dictionary` writes from a fresh warehouse, row counts aside', async () => {
    const out = path.join(work, 'generated.md');
    const result = await writeDataDictionary({ out, rowCounts: false }, { warehouse: await openShared(), names, logger: silent });
    expect(result).toMatchObject({ out, tables: MODEL_TABLES.length, undescribed: [], row_counts: null });
    const generated = await readFile(out, 'utf8');
    const committed = await readFile(COMMITTED, 'utf8');
    // On failure: `npx movalytics data-dictionary --warehouse pglite:///tmp/d` after create-tables (README).
    expect(withoutRowCounts(committed)).toBe(generated);
    expect(committed).not.toContain('(no description)');
    expect(generated).toContain('```mermaid\nerDiagram\n');
  });

  it('marks an undescribed column instead of hiding it, and escapes what Markdown would misread', () => {
    const genres = catalog.find((table) => table.name === 'genres') as CatalogTable;
    const edited: CatalogTable = {
      ...genres,
      description: 'Genres | with <tags>',
      columns: genres.columns.map((column) => (column.name === 'name' ? { ...column, description: null } : column)),
    };
    const changed = buildDictionary(catalog.map((table) => (table.name === 'genres' ? edited : table)));
    expect(undescribed(changed)).toEqual(['genres.name']);
    const markdown = renderDictionary(changed);
    expect(markdown).toContain('| `name` | character varying(256) | no: load |  | **(no description)** |');
    expect(markdown).toContain('Genres \\| with &lt;tags&gt;');
  });
});

describe('through the Redshift Data API', () => {
  it('the same catalog queries, parameters and result types give the same dictionary (local Data API endpoint)', async () => {
    const target = await redshiftDataTarget();
    try {
      const redshift = await target.warehouse();
      const created = await createTables({ warehouse: redshift, names, logger: silent });
      expect(created.applied).toEqual(['0001_create_model', '0002_physical_design', '0003_describe_bookkeeping', '0004_rating_as_double', '0005_cpi_value_as_published', '0006_ratings_ledger_metrics', '0007_source_ledger_metrics', '0008_ratings_summaries', '0009_ratings_writes_metrics']);
      const out = path.join(work, 'redshift.md');
      await writeDataDictionary({ out, rowCounts: false }, { warehouse: redshift, names, logger: silent });
      expect(await readFile(out, 'utf8')).toBe(withoutRowCounts(await readFile(COMMITTED, 'utf8')));
    } finally {
      await target.close();
    }
  }, 180_000);
});

describe('row counts', () => {
  it('--row-counts counts every table and names the loaded runs; without the block the file is the plain one', async () => {
    const shared = await openShared();
    await shared.execute(`INSERT INTO ${names.table('genres')} (genre_id, name) VALUES (16, 'Animation'), (35, 'Comedy')`);
    await shared.execute(
      `INSERT INTO ${names.table('load_stats')} (dataset, run_id, metric, value, recorded_at) VALUES ('genres', 'dd-run-1', 'rows_loaded', 2, '2026-01-02 03:04:05')`,
    );
    const withCounts = path.join(work, 'counted.md');
    const plain = path.join(work, 'plain.md');
    const now = () => new Date('2026-01-02T10:00:00Z');
    const result = await writeDataDictionary({ out: withCounts, rowCounts: true }, { warehouse: shared, names, logger: silent, now });
    await writeDataDictionary({ out: plain, rowCounts: false }, { warehouse: shared, names, logger: silent });
    expect(result.row_counts).toMatchObject({ genres: 2, movies: 0, load_stats: 1, schema_migrations: migrationsFor('postgres').length });
    const text = await readFile(withCounts, 'utf8');
    expect(text).toContain('on 2026-01-02 in a pglite warehouse holding the loads of run `dd-run-1`.');
    expect(text).toContain('| genres | 2 |');
    expect(text).toContain('| ratings | 0 |');
    expect(withoutRowCounts(text)).toBe(await readFile(plain, 'utf8'));
  });
});

describe('the CLI', () => {
  let cli: BuiltCli;
  beforeAll(async () => {
    cli = await buildCli();
  }, 180_000);
  afterAll(async () => cli.remove());

  it('writes --out and prints its result; a warehouse without the model exits 2', async () => {
    await releaseShared(); // PGlite admits one process at a time
    const out = path.join(work, 'cli.md');
    const common = ['--lake', `file://${path.join(work, 'lake')}`];
    const run = await runCli(cli, ['data-dictionary', '--warehouse', warehouseUrl, '--out', out, '--row-counts', ...common]);
    expect(run.code).toBe(0);
    expect(run.result).toMatchObject({ task: 'data-dictionary', status: 'success', out, undescribed: [], row_counts: { genres: 2 } });
    expect(await readFile(out, 'utf8')).toContain('| genres | 2 |');

    const empty = `pglite://${path.join(work, 'empty')}`;
    const refused = await runCli(cli, ['data-dictionary', '--warehouse', empty, '--out', path.join(work, 'none.md'), ...common]);
    expect(refused.code).toBe(2);
    expect(refused.result.error).toMatch(/lacks model tables \(movies, genres, .*\): run "movalytics create-tables" first/);
  }, 120_000);
});

/**
 * The duplicate-keys statements quality-check runs, one UNION ALL branch per table: `SELECT
 * CAST('<table>' …) … GROUP BY <key>`; and the ratings', in sql/quality/ratings-profile.sql, which
 * packs their two key columns into one value and must name both.
 */
function duplicateKeyChecks(): Map<string, { text: string; groupedBy: string[] | undefined }> {
  const checks = new Map<string, { text: string; groupedBy: string[] | undefined }>();
  for (const branch of contractStatement(eachStagedDataset('quality/duplicate-keys'), names).split(/^UNION ALL$/m)) {
    const subject = /SELECT CAST\('(\w+)'/.exec(branch)?.[1];
    if (!subject) continue;
    const grouped = /GROUP BY ([\w", ]+?) HAVING/.exec(branch)?.[1];
    checks.set(subject, { text: branch, groupedBy: grouped?.split(',').map((column) => column.trim().replace(/^"(.*)"$/, '$1')) });
  }
  const ratingsProfile = readSqlFile('quality/ratings-profile');
  if (/WHEN 'keys_unique' THEN/.test(ratingsProfile)) checks.set('ratings', { text: ratingsProfile, groupedBy: undefined });
  return checks;
}
