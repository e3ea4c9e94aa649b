/** `movalytics extract-cpi`: flags, then the shared task entry around the plain handler. */
import type { RegisterCommand } from '../core/command';
import { runTask } from '../core/task';
import { extractCpiOptions, readExtractCpiConfig } from './config';
import { extractCpi, TASK } from './index';

export const registerExtractCpi: RegisterCommand = (cli) =>
  cli.command(
    TASK,
    'Copy the FRED CPI series (series id, URL or file) into raw/cpi/<run_id>/<SERIES>.csv, validated, with a manifest',
    (command) => command.options(extractCpiOptions),
    (args) =>
      runTask(TASK, args, async ({ config, logger, lake }) =>
        extractCpi({ lake, logger, runId: config.runId }, await readExtractCpiConfig(args)),
      ),
  );
