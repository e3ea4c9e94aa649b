/**
 * `npm run bundle`: the task image's payload. esbuild bundles tasks/cli.ts and every dependency
 * into one CommonJS file, dist/bundle/movalytics.js, which runs with plain `node` and no
 * node_modules. Beside it go the files the code reads at run time:
 * - PGlite's WebAssembly and file-system image (pglite.wasm, pglite.data, initdb.wasm): PGlite
 *   looks them up next to its own script, which in the bundle is movalytics.js;
 * - sql/: the warehouse SQL, found by walking up from the script's folder (sql-files.ts).
 * ESM dependencies (PGlite among them) locate their files with `import.meta.url`, which a CommonJS
 * bundle does not have: it is defined as the bundle's own file URL, so they look beside it.
 */
import { build } from 'esbuild';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import process from 'node:process';

const OUT = path.resolve(process.argv[2] ?? 'dist/bundle');
const PGLITE_ASSETS = ['pglite.wasm', 'pglite.data', 'initdb.wasm'];
const require = createRequire(import.meta.url);

async function main() {
  await rm(OUT, { recursive: true, force: true });
  await mkdir(OUT, { recursive: true });
  const result = await build({
    entryPoints: ['tasks/cli.ts'],
    outfile: path.join(OUT, 'movalytics.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'linked', // readable stack traces with `node --enable-source-maps`
    legalComments: 'linked', // the dependencies' licence notices, in movalytics.js.LEGAL.txt
    logLevel: 'warning',
    metafile: true,
    banner: { js: "const __bundleFileUrl = require('node:url').pathToFileURL(__filename).href;" },
    define: { 'import.meta.url': '__bundleFileUrl' },
  });
  const pgliteDist = path.dirname(require.resolve('@electric-sql/pglite'));
  for (const asset of PGLITE_ASSETS) await cp(path.join(pgliteDist, asset), path.join(OUT, asset));
  await cp('sql', path.join(OUT, 'sql'), { recursive: true });
  const { version } = JSON.parse(await readFile('package.json', 'utf8'));
  await writeFile(path.join(OUT, 'package.json'), `${JSON.stringify({ name: 'movalytics-bundle', version, private: true, main: 'movalytics.js' }, null, 2)}\n`);
  const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
  process.stdout.write(`bundle: ${OUT}/movalytics.js (${(bytes / 1e6).toFixed(1)} MB with its map) + ${PGLITE_ASSETS.join(', ')} + sql/\n`);
}

main().catch((error) => {
  process.stderr.write(`bundle: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
