/**
 * New embedded warehouses are copies of a template data directory (pglite-template.ts): proven by
 * the database's system identifier, which initdb draws at random and a copy keeps. A template of
 * another PGlite release, or none, leaves the directory to initdb; a directory that already holds a
 * database is never overwritten.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ExitCode } from '../tasks/core/errors';
import { PgliteWarehouse } from '../tasks/core/warehouse/pglite-warehouse';
import { ensureTemplate, installedPgliteVersion, makeTemplate, type TemplateSource } from '../tasks/core/warehouse/pglite-template';

/** 'unknown' when the release cannot be read, which the first test rejects. */
const VERSION = installedPgliteVersion() ?? 'unknown';
let directory: string;
let templates: TemplateSource;
let template: string;

beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'warehouse-pglite-template-'));
  templates = { root: path.join(directory, 'templates'), version: VERSION };
  template = await makeTemplate(templates.root, VERSION);
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

/** Every file of a directory with a hash of its bytes, to tell whether anything in it changed. */
async function digest(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    files[path.relative(dir, file)] = createHash('sha256').update(await readFile(file)).digest('hex');
  }
  return files;
}

/** The identifier a data directory holds on disk: the first 8 bytes of global/pg_control. */
async function identifierOnDisk(dataDir: string): Promise<string> {
  return (await readFile(path.join(dataDir, 'global', 'pg_control'))).readBigUInt64LE(0).toString();
}

test('the installed PGlite release is read from its package', () => {
  expect(VERSION).toMatch(/^\d+\.\d+\.\d+/);
});

test('two new data directories are copies of the template: same system identifier, each its own tables', async () => {
  const before = await digest(template);
  const identifier = await identifierOnDisk(template);
  const first = await systemIdentifier(path.join(directory, 'first'), templates);
  const second = await systemIdentifier(path.join(directory, 'second'), templates);
  expect([first, second]).toEqual([identifier, identifier]);
  // Each is a database of its own: a third copy has none of the table the first two created.
  const third = await PgliteWarehouse.open(path.join(directory, 'third'), undefined, undefined, templates);
  try {
    expect(await third.query("SELECT CAST(to_regclass('opened') AS TEXT) AS opened")).toEqual([{ opened: null }]);
  } finally {
    await third.close();
  }
  // The template itself was copied, never opened: not one of its files changed.
  expect(await digest(template)).toEqual(before);
  // No half-copied directory and no lock file is left behind.
  expect((await readdir(directory)).filter((name) => name.includes('.seeding-') || name.endsWith('.lock'))).toEqual([]);
}, 60_000);

test('an empty directory is seeded; one that holds a database keeps it; without a matching template initdb runs', async () => {
  const identifier = await identifierOnDisk(template);
  const empty = path.join(directory, 'empty');
  await mkdir(empty);
  expect(await systemIdentifier(empty, templates)).toBe(identifier);

  const initdb = await systemIdentifier(path.join(directory, 'other-release'), { root: templates.root, version: '0.0.0-not-installed' });
  expect(initdb).not.toBe(identifier);
  // Reopened with the matching template available: the database is its own, not replaced.
  expect(await systemIdentifier(path.join(directory, 'other-release'), templates)).toBe(initdb);
}, 120_000);

test('a template whose stamp names another release is not used, and the build makes it again', async () => {
  const root = path.join(directory, 'stale');
  const made = await makeTemplate(root, VERSION);
  const staleIdentifier = await identifierOnDisk(made);
  await writeFile(path.join(made, 'movalytics-template.json'), '{"pglite":"0.0.1"}\n');
  const opened = await systemIdentifier(path.join(directory, 'from-stale'), { root, version: VERSION });
  expect(opened).not.toBe(staleIdentifier);
  // What `npm run build` does: the stale template is made again, a stamped one is kept.
  const remade = await ensureTemplate(root, VERSION);
  expect(remade).toEqual({ directory: made, made: true });
  const identifier = await identifierOnDisk(made);
  expect(identifier).not.toBe(staleIdentifier);
  expect(await ensureTemplate(root, VERSION)).toEqual({ directory: made, made: false });
  expect(await identifierOnDisk(made)).toBe(identifier);
  expect(await systemIdentifier(path.join(directory, 'from-remade'), { root, version: VERSION })).toBe(identifier);
}, 120_000);

test('the half copy of a task killed while seeding (a wh.seeding-<pid> folder) is removed by the next opener', async () => {
  const dataDir = path.join(directory, 'killed-while-seeding');
  // As a task killed mid-copy leaves it: part of the template's files, under the seeder's pid.
  await mkdir(`${dataDir}.seeding-1/base`, { recursive: true });
  await writeFile(`${dataDir}.seeding-1/PG_VERSION`, '17\n');
  expect(await systemIdentifier(dataDir, templates)).toBe(await identifierOnDisk(template));
  expect((await readdir(directory)).filter((name) => name.startsWith('killed-while-seeding'))).toEqual(['killed-while-seeding']);
}, 60_000);

test("pglite:// naming a folder of the user's own files is refused (exit 2), nothing written among them", async () => {
  const ownFolder = path.join(directory, 'my-documents');
  await mkdir(ownFolder);
  await writeFile(path.join(ownFolder, 'notes.txt'), 'mine\n');
  const before = await digest(ownFolder);
  await expect(PgliteWarehouse.open(ownFolder, undefined, undefined, templates)).rejects.toMatchObject({
    exitCode: ExitCode.usage,
    message: expect.stringMatching(/pglite:\/\/ names a folder that holds other files, not an embedded warehouse/),
  });
  expect(await digest(ownFolder)).toEqual(before);
  expect(existsSync(`${ownFolder}.lock`)).toBe(false);
});
