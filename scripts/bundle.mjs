/**
 * `npm run bundle`: the payload of the task images. esbuild bundles an entry and exactly the code
 * it imports into one CommonJS file that runs with plain `node` and no node_modules.
 *
 *   node scripts/bundle.mjs [OUT]            the all-in-one CLI (tasks/cli.ts): OUT/movalytics.js
 *                                            (default dist/bundle; the tests run it)
 *   node scripts/bundle.mjs --images OUT     one folder per image, each with its entry as main.js:
 *                                            OUT/movalytics/ (tasks/cli.ts) and OUT/<step>/ for
 *                                            every tasks/<step>/main.ts (the movalytics-<step> images)
 *
 * Beside each bundle go only the files its own code reads at run time, found in its esbuild
 * metafile: PGlite's WebAssembly and file-system image (pglite.wasm, pglite.data, initdb.wasm),
 * when the bundle holds PGlite (PGlite looks them up next to its own script, which in the bundle is
 * the bundle itself); sql/, when it holds the warehouse's SQL reader (sql-files.ts walks up from
 * the script's folder). So an extract image carries neither.
 * ESM dependencies (PGlite among them) locate their files with `import.meta.url`, which a CommonJS
 * bundle does not have: it is defined as the bundle's own file URL, so they look beside it.
 */
import { build } from 'esbuild';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import process from 'node:process';

const PGLITE_ASSETS = ['pglite.wasm', 'pglite.data', 'initdb.wasm'];
const ALL_IN_ONE = { name: 'movalytics', entry: 'tasks/cli.ts' };
const require = createRequire(import.meta.url);

/** The step images: every step folder with an image entry (tasks/<step>/main.ts). */
export async function stepImages() {
  const folders = await readdir('tasks', { withFileTypes: true });
  return folders
    .filter((folder) => folder.isDirectory() && existsSync(path.join('tasks', folder.name, 'main.ts')))
    .map((folder) => ({ name: folder.name, entry: path.join('tasks', folder.name, 'main.ts') }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** One bundle with the run-time files it needs, in `out`; returns what went in. */
async function bundle(entry, out, file) {
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  const result = await build({
    entryPoints: [entry],
    outfile: path.join(out, file),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'linked', // readable stack traces with `node --enable-source-maps`
    legalComments: 'linked', // the dependencies' licence notices, in <file>.LEGAL.txt
    logLevel: 'warning',
    metafile: true,
    banner: { js: "const __bundleFileUrl = require('node:url').pathToFileURL(__filename).href;" },
    define: { 'import.meta.url': '__bundleFileUrl' },
  });
  const inputs = Object.keys(result.metafile.inputs);
  const holds = (fragment) => inputs.some((input) => input.includes(fragment));
  const extras = [];
  if (holds('node_modules/@electric-sql/pglite/')) {
    const pgliteDist = path.dirname(require.resolve('@electric-sql/pglite'));
    for (const asset of PGLITE_ASSETS) await cp(path.join(pgliteDist, asset), path.join(out, asset));
    extras.push(...PGLITE_ASSETS);
  }
  if (holds('tasks/core/warehouse/sql-files.ts')) {
    await cp('sql', path.join(out, 'sql'), { recursive: true });
    extras.push('sql/');
  }
  const { version } = JSON.parse(await readFile('package.json', 'utf8'));
  await writeFile(path.join(out, 'package.json'), `${JSON.stringify({ name: 'movalytics-bundle', version, private: true, main: file }, null, 2)}\n`);
  await writeFile(path.join(out, 'bundle-inputs.json'), `${JSON.stringify(inputs.sort(), null, 1)}\n`);
  const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
  return `${path.join(out, file)} (${(bytes / 1e6).toFixed(1)} MB with its map)${extras.length ? ` + ${extras.join(', ')}` : ''}`;
}

async function main() {
  const [first, second] = process.argv.slice(2);
  if (first === '--images') {
    if (!second) throw new Error('usage: bundle.mjs --images OUT');
    const root = path.resolve(second);
    const images = [ALL_IN_ONE, ...(await stepImages())];
    const built = await Promise.all(images.map((image) => bundle(image.entry, path.join(root, image.name), 'main.js')));
    for (const line of built) process.stdout.write(`bundle: ${line}\n`);
    return;
  }
  process.stdout.write(`bundle: ${await bundle(ALL_IN_ONE.entry, path.resolve(first ?? 'dist/bundle'), 'movalytics.js')}\n`);
}

main().catch((error) => {
  process.stderr.write(`bundle: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
