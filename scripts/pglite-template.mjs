/**
 * Part of `npm run build`: makes the embedded warehouse's template data directory for the
 * installed PGlite release (tasks/core/warehouse/pglite-template.ts), so that no task has to run
 * initdb inside WebAssembly (~800 MiB of peak memory). Quick when the template is already there.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import process from 'node:process';

const require = createRequire(import.meta.url);
const { defaultTemplateRoot, installedPgliteVersion, makeTemplate, templateDirectory } = require('../dist/tasks/core/warehouse/pglite-template.js');

const version = installedPgliteVersion();
if (version === undefined) throw new Error('pglite-template: the installed @electric-sql/pglite release cannot be read');
const root = defaultTemplateRoot();
if (existsSync(templateDirectory(root, version))) {
  process.stdout.write(`pglite-template: ${templateDirectory(root, version)} (already made)\n`);
} else {
  const started = Date.now();
  const made = await makeTemplate(root, version);
  process.stdout.write(`pglite-template: ${made} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
}
