/**
 * New embedded warehouses are copies of a template data directory (pglite-template.ts): proven by
 * the database's system identifier, which initdb draws at random and a copy keeps. A template of
 * another PGlite release, or none, leaves the directory to initdb; a directory that already holds a
 * database is never overwritten.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PgliteWarehouse, type TemplateSource } from '../tasks/core/warehouse/pglite-warehouse';
import { installedPgliteVersion, makeTemplate, templateDirectory } from '../tasks/core/warehouse/pglite-template';

const VERSION = installedPgliteVersion();
let directory: string;
let templates: TemplateSource;

beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'warehouse-pglite-template-'));
  templates = { root: path.join(directory, 'templates'), version: VERSION };
  await makeTemplate(templates.root, VERSION ?? 'unknown');
}, 60_000);

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function systemIdentifier(dataDir: string, source: TemplateSource): Promise<string> {
  const warehouse = await PgliteWarehouse.open(dataDir, undefined, undefined, source);
  try {
    await warehouse.execute('CREATE TABLE IF NOT EXISTS opened (n INTEGER)');
    const [row] = await warehouse.query('SELECT CAST(system_identifier AS TEXT) AS id FROM pg_control_system()');
    return String(row?.id);
  } finally {
    await warehouse.close();
  }
}

/** The identifier a data directory holds on disk: the first 8 bytes of global/pg_control. */
async function identifierOnDisk(dataDir: string): Promise<string> {
  return (await readFile(path.join(dataDir, 'global', 'pg_control'))).readBigUInt64LE(0).toString();
}

test('the installed PGlite release is read from its package', () => {
  expect(VERSION).toMatch(/^\d+\.\d+\.\d+/);
});

test('two new data directories are copies of the template: same system identifier, each its own tables', async () => {
  const template = await identifierOnDisk(templateDirectory(templates.root, VERSION ?? 'unknown'));
  const first = await systemIdentifier(path.join(directory, 'first'), templates);
  const second = await systemIdentifier(path.join(directory, 'second'), templates);
  expect([first, second]).toEqual([template, template]);
  // The template itself was not opened or changed: no server lock file, no table of ours.
  expect(await readdir(templateDirectory(templates.root, VERSION ?? 'unknown'))).not.toContain('postmaster.pid');
  // No half-copied directory and no lock file is left behind.
  expect((await readdir(directory)).filter((name) => name.includes('.seeding-') || name.endsWith('.lock'))).toEqual([]);
}, 60_000);

test('an empty directory is seeded; one that holds a database keeps it; without a matching template initdb runs', async () => {
  const template = await identifierOnDisk(templateDirectory(templates.root, VERSION ?? 'unknown'));
  const empty = path.join(directory, 'empty');
  await mkdir(empty);
  expect(await systemIdentifier(empty, templates)).toBe(template);

  const initdb = await systemIdentifier(path.join(directory, 'other-release'), { root: templates.root, version: '0.0.0-not-installed' });
  expect(initdb).not.toBe(template);
  // Reopened with the matching template available: the database is its own, not replaced.
  expect(await systemIdentifier(path.join(directory, 'other-release'), templates)).toBe(initdb);
}, 120_000);

test('a template whose stamp names another release is not used', async () => {
  const root = path.join(directory, 'stale');
  const made = await makeTemplate(root, VERSION ?? 'unknown');
  await writeFile(path.join(made, 'movalytics-template.json'), '{"pglite":"0.0.1"}\n');
  const opened = await systemIdentifier(path.join(directory, 'from-stale'), { root, version: VERSION });
  expect(opened).not.toBe(await identifierOnDisk(made));
  // The same template with its stamp mended is used.
  await writeFile(path.join(made, 'movalytics-template.json'), `${JSON.stringify({ pglite: VERSION })}\n`);
  expect(await systemIdentifier(path.join(directory, 'from-mended'), { root, version: VERSION })).toBe(await identifierOnDisk(made));
}, 120_000);
