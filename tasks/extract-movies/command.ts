/** `movalytics extract-movies`: flags, then the shared task entry around the plain handler. */
import type { RegisterCommand } from '../core/command';
import { runTask } from '../core/task';
import { extractMoviesOptions, readExtractMoviesConfig } from './config';
import { extractMovies, TASK } from './index';

export const registerExtractMovies: RegisterCommand = (cli) =>
  cli.command(
    TASK,
    'Copy The Movies Dataset (Kaggle, URL, zip or folder) into raw/movies/<run_id>/ with a manifest',
    (command) => command.options(extractMoviesOptions),
    (args) =>
      runTask(TASK, args, async ({ config, logger, lake }) =>
        extractMovies({ lake, logger, runId: config.runId }, await readExtractMoviesConfig(args, process.env)),
      ),
  );
