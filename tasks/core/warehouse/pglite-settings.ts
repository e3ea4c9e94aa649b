/**
 * PostgreSQL settings of the embedded warehouse (PGlite), sized for a task's peak RSS of 256 MiB
 * instead of PostgreSQL's defaults, which PGlite keeps.
 *
 * Why they weigh so much in WebAssembly: PGlite's WASM memory starts at 128 MiB (the module's own
 * minimum: `initialMemory` cannot go lower), never shrinks, and every page PostgreSQL touches in
 * it stays resident until the process ends. PostgreSQL's shared memory is touched whole at start,
 * so `shared_buffers` is paid by every open before any work; work memory is paid from the first
 * big sort on. Table files are on disk (NODEFS), not in that memory, and the operating system's
 * page cache serves re-reads, so small buffers cost little speed.
 *
 * Measured on the full-scale data (26M ratings), defaults against these, side by side: reopening
 * a data directory peaked at 319-346 MiB against 194-221; a COPY of ratings.csv 521-540 against
 * 380-412 (the rest is the JavaScript side of the COPY); GROUP BY user_id over 26M rows 353 against
 * 202; CREATE INDEX over 26M rows 394 against 204, with the same CPU time in each pair.
 * The floor left is Node and V8 running PGlite (~200 MiB on open, a third of it TurboFan
 * compiling PGlite's WASM code), not PostgreSQL.
 */
import { setFlagsFromString } from 'node:v8';
import { PGlite } from '@electric-sql/pglite';

export const PGLITE_SETTINGS: Readonly<Record<string, string>> = {
  // Default 128MB made the shared memory 145 MB, all resident from the open; 16MB makes it 24 MB.
  // COPY and scans of big tables read through small buffer rings whatever this is, and the model
  // tables other than ratings fit; the 26M-row COPY, load, aggregates and report ran no slower.
  shared_buffers: '16MB',
  // Default 64MB stays resident after the first index build or VACUUM (+40 MiB of peak for an
  // index over 26M rows) and buys nothing: such a sort spills to disk at 64MB too, same CPU time.
  maintenance_work_mem: '16MB',
  // PostgreSQL's default, stated because it is part of the budget: each sort or hash node of a
  // query may use this much (a hash twice as much, hash_mem_multiplier) before spilling to disk.
  work_mem: '4MB',
};

/** PGlite's own start parameters (single-user mode, fsync off, ...) followed by the settings above. */
export const PGLITE_START_PARAMS: readonly string[] = [
  ...PGlite.defaultStartParams,
  ...Object.entries(PGLITE_SETTINGS).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
];

/**
 * V8 runs PGlite's WebAssembly with its baseline compiler (Liftoff) only: no tier-up to TurboFan.
 * TurboFan compiling PostgreSQL's hot functions is ~70-90 MiB of peak RSS in every process that
 * opens PGlite; measured at full scale, one step at a time, default against these flags: loads
 * 233-319 MiB against 142-241, quality check 279 against 192, report 271 against 195. The price is
 * speed where PostgreSQL itself computes much: the quality check took 45 s against 64 s, the report
 * 34 s against 51 s; the loads ran as fast (the COPYs) or faster (short steps skip the compile).
 * PGlite is the laptop warehouse, where memory is the scarcer budget; PostgreSQL and
 * Redshift are unaffected.
 */
export const PGLITE_V8_FLAGS = ['--no-wasm-tier-up', '--no-wasm-dynamic-tiering'] as const;

let v8FlagsSet = false;

/** Sets PGLITE_V8_FLAGS for this process; they must precede PGlite's first WebAssembly compile. */
export function useLeanWasmCompiler(): void {
  if (v8FlagsSet) return;
  for (const flag of PGLITE_V8_FLAGS) setFlagsFromString(flag);
  v8FlagsSet = true;
}
