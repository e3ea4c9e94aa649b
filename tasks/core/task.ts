/**
 * The thin entry point every task shares: read config, build the logger and the lake, call the
 * handler, write the result, map any error to its exit code. Handlers are plain async functions
 * that receive what they need; they never read `process.env` or exit the process.
 */
import { readCommonConfig, type CommonArgs, type CommonConfig } from './config';
import { describeError, ExitCode, exitCodeFor, MovalyticsError } from './errors';
import { createLogger, type Logger } from './log';
import type { Lake } from './lake/lake';
import { openLake } from './lake/open-lake';
import { removeStaleWrites } from './lake/stale-writes';
import { writeResult, type TaskOutput } from './result';

export interface TaskContext {
  config: CommonConfig;
  logger: Logger;
  lake: Lake;
}

/** Runs one task to completion and sets `process.exitCode`; never throws. */
export async function runTask(
  task: string,
  args: CommonArgs,
  body: (context: TaskContext) => Promise<TaskOutput>,
): Promise<void> {
  const startedAt = Date.now();
  const logger = createLogger(task, { level: args['log-level'] });
  let config: CommonConfig | undefined;
  let output: TaskOutput = {};
  let exitCode: ExitCode = ExitCode.ok;
  try {
    config = readCommonConfig(args);
    const lake = await openLake(config.lakeUrl, config.s3);
    logger.info(`${task} started`, { run_id: config.runId, lake: lake.url });
    await removeStaleWrites(lake, config.runId, logger);
    output = await body({ config, logger, lake });
  } catch (error) {
    exitCode = exitCodeFor(error);
    const context = error instanceof MovalyticsError ? error.context : {};
    logger.error(`${task} failed: ${describeError(error)}`, { exit_code: exitCode, ...context });
    if (exitCode === ExitCode.unexpected && error instanceof Error) logger.debug(error.stack ?? '');
    output = { ...(error instanceof MovalyticsError ? error.output : undefined), error: describeError(error) };
  }
  const seconds = Math.round((Date.now() - startedAt) / 10) / 100;
  if (exitCode === ExitCode.ok) logger.info(`${task} succeeded`, { seconds });
  await writeResult(
    {
      task,
      run_id: config?.runId ?? args['run-id'],
      status: exitCode === ExitCode.ok ? 'success' : 'failed',
      exit_code: exitCode,
      seconds,
      ...output,
    },
    config?.resultFile,
  );
  logger.close();
  process.exitCode = exitCode;
}
