/**
 * `movalytics run` (what `npm start` runs): the embedded defaults — a lake folder and a PGlite
 * warehouse under ./.data, the generated `small` sample — unless sources, lake or warehouse are given.
 */
import { availableParallelism, constants } from 'node:os';
import path from 'node:path';
import type { RegisterCommand } from '../core/command';
import { checkNumber, DEFAULT_DATA_DIR, readCommonConfig, type CommonArgs, type CommonConfig } from '../core/config';
import { describeError, exitCodeFor, MovalyticsError, TransientError } from '../core/errors';
import { layout } from '../core/lake/layout';
import { openLake } from '../core/lake/open-lake';
import { createLogger, type Logger } from '../core/log';
import { writeResultFile, type TaskOutput } from '../core/result';
import { readWarehouseConfig, warehouseOptions, type WarehouseArgs } from '../core/warehouse/config';
import { DEFAULT_MIN_RATINGS } from '../report/index';
import { checkShardCount, MAX_SHARDS } from '../core/shard';
import { ChildSteps } from './child-step';
import { runPipeline } from './run';
import type { DirectoryLock } from '../core/warehouse/directory-lock';
import { holdRunLease } from './run-lease';

/** What `run` reads of its arguments. */
interface RunCommandArgs extends CommonArgs, WarehouseArgs {
  'movies-source'?: string;
  'cpi-source'?: string;
  scale: string;
  seed: number;
  'min-ratings': number;
  'data-dir': string;
  parallel: number;
  shards: string;
}

export const registerRun: RegisterCommand = (cli) =>
  cli.command(
    'run',
    'Run the whole pipeline locally: extract, transform, create tables, load, quality check, report',
    (command) =>
      command.options(warehouseOptions).options({
        'movies-source': {
          type: 'string',
          describe: 'Kaggle dataset (owner/name), https URL of its zip, a local zip or folder; default: a generated sample',
        },
        'cpi-source': {
          type: 'string',
          describe: 'FRED series id, https URL or local CSV; default: the CSV beside the movie files, else FRED',
        },
        scale: { type: 'string', choices: ['tiny', 'small', 'full'], default: 'small', describe: 'Scale of the generated sample' },
        seed: { type: 'number', default: 42, describe: 'Seed of the generated sample' },
        'min-ratings': { type: 'number', default: DEFAULT_MIN_RATINGS, describe: 'Fewest ratings for the highest-rated list' },
        'data-dir': { type: 'string', default: DEFAULT_DATA_DIR, describe: 'Where generated samples are cached' },
        parallel: {
          type: 'number',
          default: availableParallelism(),
          describe: 'Most steps running at once (a step starts once its upstreams are done; on PGlite one warehouse step at a time)',
        },
        shards: {
          type: 'string',
          default: 'auto',
          describe: `Shards the big steps split into (transforms of movies and credits, the ratings load), 1 to ${MAX_SHARDS}; auto: one per 512 MiB of the largest raw file`,
        },
      }),
    async (args) => {
      const startedAt = Date.now();
      const logger = createLogger('run', { level: args['log-level'] });
      const steps = new ChildSteps(require.main?.filename ?? path.join(__dirname, '..', 'cli.js'));
      const stop = (signal: NodeJS.Signals) => {
        logger.warn(`${signal}: stopping the running steps and waiting for them`);
        steps.stop(signal);
      };
      process.on('SIGTERM', stop).on('SIGINT', stop);
      let config: CommonConfig | undefined;
      let ended: { exitCode: number; output: TaskOutput };
      try {
        config = readCommonConfig(args);
        ended = { exitCode: 0, output: await runUnderLease(args, config, steps, logger) };
      } catch (error) {
        ended = { exitCode: failedRunExitCode(error, steps), output: { error: describeError(error), ...stepOf(error) } };
      } finally {
        process.off('SIGTERM', stop).off('SIGINT', stop);
      }
      process.exitCode = ended.exitCode;
      const seconds = Math.round((Date.now() - startedAt) / 10) / 100;
      const status = ended.exitCode === 0 ? 'success' : 'failed';
      const runId = config?.runId ?? args['run-id'];
      await writeResultFile({ task: 'run', run_id: runId, status, exit_code: ended.exitCode, seconds, ...ended.output }, config?.resultFile);
    },
  );

/** The pipeline while this run holds its run id's lease (run-lease.ts); the run's result fields. */
async function runUnderLease(args: RunCommandArgs, config: CommonConfig, steps: ChildSteps, logger: Logger): Promise<TaskOutput> {
  // Validated here so that a password typed into --warehouse is refused before any step sees it.
  const warehouse = readWarehouseConfig(args);
  const minRatings = Math.trunc(checkNumber('min-ratings', args['min-ratings'], 1));
  const lake = await openLake(config.lakeUrl, config.s3);
  const lease = await holdRunLease(lake, config.runId, logger);
  const watch = watchLease(lease, steps, logger);
  try {
    const { steps: count } = await runPipeline(
      {
        runId: config.runId,
        dataDir: path.resolve(args['data-dir']),
        moviesSource: args['movies-source'],
        cpiSource: args['cpi-source'],
        scale: args.scale,
        seed: Math.trunc(checkNumber('seed', args.seed, 0)),
        stepEnv: stepEnvironment(args, config.lakeUrl, minRatings),
        parallel: Math.trunc(checkNumber('parallel', args.parallel, 1)),
        warehouseKind: warehouse.target.kind,
        shards: args.shards === 'auto' ? 'auto' : checkShardCount(args.shards),
      },
      // The steps' own results go to their stdout, never to the run's result file.
      { runStep: steps.run, lake, logger, print: (text) => process.stdout.write(text), env: { ...process.env, ...RUN_ONLY_VARIABLES } },
    );
    return { steps: count, report: lake.urlOf(layout.report(config.runId, 'report.html')) };
  } catch (error) {
    // The steps were stopped because the lease went to another run: that, not the stop, is why.
    const lost = watch.lost();
    throw lost === undefined ? error : new TransientError(describeError(lost), { run_id: config.runId, lease: LEASE_TAKEN_OVER });
  } finally {
    watch.end();
    await lease.release();
  }
}

/** The context of the error a run fails with when another run took its lease over. */
const LEASE_TAKEN_OVER = 'taken over';

/** How often `run` checks that its run id's lease is still its own. */
const LEASE_CHECK_MS = 1_000;

/**
 * A run whose lease another run took over (this one was frozen longer than the lease) stops its
 * steps before they write more, and fails with the lease's TransientError (exit 75).
 */
function watchLease(lease: DirectoryLock, steps: ChildSteps, logger: Logger): { lost: () => unknown; end: () => void } {
  let lost: unknown;
  const timer = setInterval(() => {
    try {
      lease.assertHeld();
    } catch (error) {
      lost ??= error;
      logger.error(`${describeError(error)}: stopping the running steps`);
      steps.stop('SIGTERM');
      clearInterval(timer);
    }
  }, LEASE_CHECK_MS);
  timer.unref();
  return { lost: () => lost, end: () => clearInterval(timer) };
}

/**
 * Variables of the run's own flags that must not reach its steps as theirs: the steps' results go to
 * their stdout (not the run's result file), and each step gets its shard flags from the graph.
 */
const RUN_ONLY_VARIABLES = { MOVALYTICS_RESULT_FILE: undefined, MOVALYTICS_SHARDS: undefined, MOVALYTICS_SHARD: undefined };

/** Prints why the run failed; its exit code: the failed step's, or 128 + the signal that stopped it. */
function failedRunExitCode(error: unknown, steps: ChildSteps): number {
  const leaseLost = error instanceof MovalyticsError && error.context.lease === LEASE_TAKEN_OVER;
  if (steps.stoppedBy && !leaseLost) {
    // As a process killed by the signal would end (128 + its number), once its steps have ended.
    process.stderr.write(`\nerror: run stopped by ${steps.stoppedBy}; the steps it had started have ended\n`);
    return 128 + (constants.signals[steps.stoppedBy] ?? 0);
  }
  process.stderr.write(`\nerror: ${describeError(error)}\n`);
  return exitCodeFor(error);
}

function stepOf(error: unknown): TaskOutput {
  const step = error instanceof MovalyticsError ? error.context.step : undefined;
  return typeof step === 'string' ? { step } : {};
}

function stepEnvironment(
  args: WarehouseArgs & { 'log-level': string; 'lake-timeout-ms'?: number },
  lakeUrl: string,
  minRatings: number,
): Record<string, string> {
  const env: Record<string, string> = {
    MOVALYTICS_LAKE: lakeUrl,
    MOVALYTICS_WAREHOUSE: args.warehouse,
    MOVALYTICS_WAREHOUSE_SCHEMA: args['warehouse-schema'],
    MOVALYTICS_WAREHOUSE_TABLE_PREFIX: args['warehouse-table-prefix'],
    MOVALYTICS_MIN_RATINGS: String(minRatings),
    MOVALYTICS_LOG_LEVEL: args['log-level'],
  };
  if (args['lake-timeout-ms'] !== undefined) env.MOVALYTICS_LAKE_TIMEOUT_MS = String(args['lake-timeout-ms']);
  if (args['warehouse-lock-timeout-ms'] !== undefined) env.MOVALYTICS_WAREHOUSE_LOCK_TIMEOUT_MS = String(args['warehouse-lock-timeout-ms']);
  if (args['warehouse-lock-lease-ms'] !== undefined) env.MOVALYTICS_WAREHOUSE_LOCK_LEASE_MS = String(args['warehouse-lock-lease-ms']);
  if (args['copy-iam-role']) env.MOVALYTICS_COPY_IAM_ROLE = args['copy-iam-role'];
  if (args['copy-region']) env.MOVALYTICS_COPY_REGION = args['copy-region'];
  if (args['redshift-secret-arn']) env.MOVALYTICS_REDSHIFT_SECRET_ARN = args['redshift-secret-arn'];
  if (args['redshift-statement-timeout-ms'] !== undefined) env.MOVALYTICS_REDSHIFT_STATEMENT_TIMEOUT_MS = String(args['redshift-statement-timeout-ms']);
  return env;
}
