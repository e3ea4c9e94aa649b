/**
 * `movalytics run`: the whole pipeline on one machine, in dependency order.
 *
 *   sources given? else generate the `small` sample once (cached under the data directory)
 *     → every step of PIPELINE_STEPS, each as its own process, a step once its upstreams are
 *       done, up to --parallel at a time (schedule.ts; on PGlite one warehouse step at a time);
 *       a mapped step as one process per shard (--shards, or as extract_movies suggests)
 *       (extract → transform → create tables → load → quality check → report)
 *     → the four answers printed as tables, and where report.html is.
 *
 * Each step is idempotent for a run id, so a rerun replaces the run's outputs and leaves the
 * warehouse as one run does. The first failed step stops the run with its error and exit code.
 * SIGTERM or SIGINT to the run is passed to its running steps (child-step.ts), which it waits for.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { displayUrl } from '../core/display-url';
import { errorForExitCode } from '../core/errors';
import { getJson, type Lake } from '../core/lake/lake';
import { layout } from '../core/lake/layout';
import type { Logger } from '../core/log';
import type { WarehouseKind } from '../core/warehouse/warehouse';
import type { TaskResult } from '../core/result';
import { answerTables, renderTable, type Report } from '../report/index';
import type { LogLine, StepRunner } from './child-step';
import { runScheduled } from './schedule';
import { PIPELINE_STEPS, SHARD_COUNT_STEP, shardInstances, topologicalOrder, usesWarehouse, type PipelineStep } from './steps';

export interface RunOptions {
  runId: string;
  /** Where generated samples are cached. */
  dataDir: string;
  moviesSource: string | undefined;
  cpiSource: string | undefined;
  scale: string;
  seed: number;
  /** MOVALYTICS_* settings every step receives (lake, warehouse, min ratings, …). */
  stepEnv: Record<string, string>;
  /** Most steps running at once. */
  parallel: number;
  /** Which warehouse the steps use: PGlite's data directory admits one process at a time. */
  warehouseKind: WarehouseKind;
  /** How many shards the mapped steps run as; `auto`: as extract_movies suggests from the raw files' sizes. */
  shards: number | 'auto';
}

export interface RunDeps {
  runStep: StepRunner;
  lake: Lake;
  logger: Logger;
  /** Where the human-readable output goes (stdout). */
  print: (text: string) => void;
  /** The environment the steps inherit (secrets such as PGPASSWORD pass through it, never argv). */
  env: NodeJS.ProcessEnv;
}

const CPI_FILE = 'CUSR0000SS62031.csv';

export async function runPipeline(options: RunOptions, deps: RunDeps): Promise<{ report: Report; steps: number }> {
  const sources = await resolveSources(options, deps);
  const env = {
    ...deps.env,
    ...options.stepEnv,
    MOVALYTICS_RUN_ID: options.runId,
    MOVALYTICS_MOVIES_SOURCE: sources.movies,
    MOVALYTICS_CPI_SOURCE: sources.cpi,
  };
  deps.print(`Movalytics pipeline, run ${options.runId}: movies from ${displayUrl(sources.movies)}, CPI from ${displayUrl(sources.cpi)}\n`);
  const steps = topologicalOrder(PIPELINE_STEPS);
  let finished = 0;
  let total = steps.length;
  const shards = new ShardCount(options.shards);
  await runScheduled(
    steps,
    {
      parallel: options.parallel,
      exclusive: (step) => options.warehouseKind === 'pglite' && usesWarehouse(step),
      instances: (step) => {
        // Mapped and gathering steps come after extract_movies, whose result the count may need.
        if (!step.shards) return [step];
        const instances = shardInstances(step, shards.count());
        total += instances.length - 1;
        return instances;
      },
    },
    async (step) => {
      const result = await runOneStep(step, () => `${++finished}/${total}`, env, deps);
      if (step.id === SHARD_COUNT_STEP) shards.suggested(result);
    },
  );
  const report = await getJson<Report>(deps.lake, layout.report(options.runId, 'report.json'));
  printAnswers(report, deps);
  deps.print(`\nReport: ${deps.lake.urlOf(layout.report(options.runId, 'report.html'))}\n`);
  return { report, steps: total };
}

/** The run's shard count: as given, or as the step that saw the raw files suggests (its result's `shards`). */
class ShardCount {
  private suggestion: number | undefined;

  constructor(private readonly given: number | 'auto') {}

  suggested(result: TaskResult | undefined): void {
    const shards = result?.shards;
    this.suggestion = typeof shards === 'number' && Number.isInteger(shards) && shards >= 1 ? shards : 1;
  }

  count(): number {
    if (this.given !== 'auto') return this.given;
    if (this.suggestion === undefined) throw new Error(`a mapped step became ready before ${SHARD_COUNT_STEP} suggested a shard count`);
    return this.suggestion;
  }
}

async function resolveSources(options: RunOptions, deps: RunDeps): Promise<{ movies: string; cpi: string }> {
  let movies = options.moviesSource;
  if (movies === undefined) {
    movies = path.resolve(options.dataDir, 'sample', `${options.scale}-seed-${options.seed}`);
    if (!existsSync(path.join(movies, 'generate-sample.json'))) {
      await runOneStep(
        { id: 'generate_sample', argv: ['generate-sample', '--scale', options.scale, '--seed', String(options.seed), '--out', movies], upstream: [] },
        () => '0',
        { ...deps.env, ...options.stepEnv },
        deps,
      );
    }
  }
  // A folder of source files that holds the FRED CSV too (the generated sample, the real extracts) serves both.
  const cpiBeside = path.join(movies, CPI_FILE);
  const cpi = options.cpiSource ?? (existsSync(cpiBeside) ? cpiBeside : 'CUSR0000SS62031');
  return { movies, cpi };
}

/** Runs one step; `position` (e.g. `3/16`) is asked for when it ends, as steps may end in any order. */
async function runOneStep(step: PipelineStep, position: () => string, env: NodeJS.ProcessEnv, deps: RunDeps): Promise<TaskResult | undefined> {
  const startedAt = Date.now();
  const outcome = await deps.runStep(step.argv, env, (line) => showProgress(step, line, deps));
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
  if (outcome.exitCode !== 0) {
    deps.print(`✗ ${position().padStart(5)} ${step.id.padEnd(22)} ${seconds.padStart(6)} s  exit ${outcome.exitCode}\n`);
    const reason = outcome.lastError ?? outcome.result?.error ?? 'no error message';
    throw errorForExitCode(outcome.exitCode, `step ${step.id} (movalytics ${step.argv.join(' ')}) failed: ${String(reason)}`, {
      step: step.id,
    });
  }
  deps.print(`✓ ${position().padStart(5)} ${step.id.padEnd(22)} ${seconds.padStart(6)} s  ${summarise(outcome.result)}\n`);
  return outcome.result;
}

/** Long steps log progress every few seconds: pass those lines on, indented, so a run never looks stuck. */
function showProgress(step: PipelineStep, line: LogLine, deps: RunDeps): void {
  if (line.level === 'warn') deps.logger.warn(`${step.id}: ${line.message}`);
  else if (line.message.endsWith('in progress')) {
    const rows = typeof line.rows === 'number' ? ` ${line.rows.toLocaleString('en-US')} rows` : '';
    deps.print(`        … ${step.id}:${rows}\n`);
  }
}

/** A few of the step result's counts, e.g. `accepted=400 rejected=0`. */
function summarise(result: TaskResult | undefined): string {
  if (!result) return '';
  const skip = new Set(['exit_code', 'seconds']);
  return Object.entries(result)
    .filter(([key, value]) => typeof value === 'number' && !skip.has(key))
    .slice(0, 5)
    .map(([key, value]) => `${key}=${String(value)}`)
    .join(' ');
}

function printAnswers(report: Report, deps: RunDeps): void {
  for (const table of answerTables(report)) {
    const finding = table.finding ? `${table.finding}\n` : '';
    deps.print(`\n${table.title}\n${finding}${table.note}\n\n${renderTable(table, 'text')}\n`);
  }
}
