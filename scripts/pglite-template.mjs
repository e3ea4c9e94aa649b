/**
 * Part of `npm run build`: makes the embedded warehouse's template data directory for the
 * installed PGlite release (tasks/core/warehouse/pglite-template.ts), so that no task has to run
 * initdb inside WebAssembly (~800 MiB of peak memory). Quick when the template is already there.
 */
import { createRequire } from 'node:module';
import process from 'node:process';

const require = createRequire(import.meta.url);
const { defaultTemplateRoot, ensureTemplate, installedPgliteVersion } = require('../dist/tasks/core/warehouse/pglite-template.js');

const version = installedPgliteVersion();
if (version === undefined) throw new Error('pglite-template: the installed @electric-sql/pglite release cannot be read');
const started = Date.now();
const { directory, made } = await ensureTemplate(defaultTemplateRoot(), version);
process.stdout.write(`pglite-template: ${directory} (${made ? `${((Date.now() - started) / 1000).toFixed(1)} s` : 'already made'})\n`);
