/**
 * A new embedded warehouse starts as a copy of a template data directory, made once per
 * installation by `npm run build` (scripts/pglite-template.mjs), instead of running initdb inside
 * WebAssembly in the task that opens it first. initdb is what made create_tables the largest task
 * of the embedded run: 746-822 MiB of peak RSS against ~230 MiB when it opens a copy.
 *
 * A template holds the data directory of a database that was created and closed, nothing else, and
 * a stamp naming the PGlite release that made it. It is used only by the same release (its catalog
 * must match the server's), so a template left over from an older install is ignored, as is one in
 * the bundled image, where the installed release cannot be read: those open with initdb as before.
 * The copy is written beside the target and renamed into place, so a task killed while seeding
 * leaves no half data directory behind; the next opener removes such a copy.
 */
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLITE_START_PARAMS } from './pglite-settings';
import { sqlRoot } from './sql-files';

const STAMP = 'movalytics-template.json';
/** Written by the server while it runs; a copy must not carry it. */
const NOT_COPIED = new Set(['postmaster.pid', STAMP]);

interface Stamp {
  pglite: string;
}

/** Where new data directories are copied from: the templates' folder and the PGlite release to match. */
export interface TemplateSource {
  root: string;
  version: string | undefined;
}

/** The templates of this installation: `defaultTemplateRoot()`, for the installed release. */
export function installedTemplates(): TemplateSource {
  return { root: defaultTemplateRoot(), version: installedPgliteVersion() };
}

/** Where templates are kept: `.pglite-template/` beside `sql/` (the repository, or a build). */
export function defaultTemplateRoot(): string {
  return path.join(path.dirname(sqlRoot()), '.pglite-template');
}

/** The installed PGlite release, from its package.json; undefined where it cannot be read (a bundle). */
export function installedPgliteVersion(): string | undefined {
  try {
    const entry = require.resolve('@electric-sql/pglite');
    let directory = path.dirname(entry);
    while (!existsSync(path.join(directory, 'package.json'))) {
      const parent = path.dirname(directory);
      if (parent === directory) return undefined;
      directory = parent;
    }
    const { name, version } = JSON.parse(readFileSync(path.join(directory, 'package.json'), 'utf8')) as { name?: string; version?: string };
    return name === '@electric-sql/pglite' ? version : undefined;
  } catch {
    return undefined;
  }
}

/** The template directory for a PGlite release under `root`. */
export function templateDirectory(root: string, version: string): string {
  return path.join(root, `pglite-${version}`);
}

/** The template of `version` under `root`, made unless a stamped one is already there. */
export async function ensureTemplate(root: string, version: string): Promise<{ directory: string; made: boolean }> {
  const directory = templateDirectory(root, version);
  if (await stampedFor(directory, version)) return { directory, made: false };
  return { directory: await makeTemplate(root, version), made: true };
}

/** Creates (or replaces) the template of `version` under `root`: a database created and closed. */
export async function makeTemplate(root: string, version: string): Promise<string> {
  const target = templateDirectory(root, version);
  const building = `${target}.building-${process.pid}`;
  await rm(building, { recursive: true, force: true });
  await mkdir(root, { recursive: true });
  const db = await PGlite.create(building, { startParams: [...PGLITE_START_PARAMS] });
  await db.close();
  await writeFile(path.join(building, STAMP), `${JSON.stringify({ pglite: version } satisfies Stamp)}\n`);
  await rm(target, { recursive: true, force: true });
  await rename(building, target);
  return target;
}

/**
 * Fills a data directory that does not exist yet (or is empty) from the template of `version`.
 * Returns the template used, or undefined when there is none for that release or the directory
 * already holds a database; PGlite then opens the directory as it is (initdb when it is new).
 */
export async function seedFromTemplate(dataDir: string, { root, version }: TemplateSource): Promise<string | undefined> {
  await removeUnfinishedSeeds(dataDir);
  if (version === undefined || !(await isEmptyOrMissing(dataDir))) return undefined;
  const template = templateDirectory(root, version);
  if (!(await stampedFor(template, version))) return undefined;
  const seeding = `${dataDir}.seeding-${process.pid}`;
  await rm(seeding, { recursive: true, force: true });
  await cp(template, seeding, { recursive: true, filter: (source) => !NOT_COPIED.has(path.relative(template, source)) });
  if (existsSync(dataDir)) await rmdir(dataDir);
  await rename(seeding, dataDir);
  return template;
}

/**
 * Removes the `<dataDir>.seeding-*` copies of tasks killed while seeding. Called under the data
 * directory's lock, which every seeder holds: a copy found then has no live writer.
 */
async function removeUnfinishedSeeds(dataDir: string): Promise<void> {
  const prefix = `${path.basename(dataDir)}.seeding-`;
  const siblings = await readdir(path.dirname(dataDir)).catch(() => []);
  for (const name of siblings.filter((sibling) => sibling.startsWith(prefix))) {
    await rm(path.join(path.dirname(dataDir), name), { recursive: true, force: true });
  }
}

async function isEmptyOrMissing(directory: string): Promise<boolean> {
  try {
    return (await readdir(directory)).length === 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw error;
  }
}

async function stampedFor(template: string, version: string): Promise<boolean> {
  try {
    const stamp = JSON.parse(await readFile(path.join(template, STAMP), 'utf8')) as Partial<Stamp>;
    return stamp.pglite === version;
  } catch {
    return false;
  }
}
