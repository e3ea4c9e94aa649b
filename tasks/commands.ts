/** Every command of the `movalytics` CLI, one per task folder. */
import type { RegisterCommand } from './core/command';
import { registerCreateTables } from './create-tables/command';
import { registerDataDictionary } from './data-dictionary/command';
import { registerExtractCpi } from './extract-cpi/command';
import { registerExtractMovies } from './extract-movies/command';
import { registerGenerateSample } from './generate-sample/command';
import { registerLoad } from './load/command';
import { registerRun } from './pipeline/run-command';
import { registerSteps } from './pipeline/steps-command';
import { registerQualityCheck } from './quality-check/command';
import { registerReport } from './report/command';
import { registerTransform } from './transform/command';

/** In pipeline order, as `--help` lists them. */
export const commands: RegisterCommand[] = [
  registerGenerateSample,
  registerExtractMovies,
  registerExtractCpi,
  registerTransform,
  registerCreateTables,
  registerLoad,
  registerQualityCheck,
  registerReport,
  registerRun,
  registerSteps,
  registerDataDictionary,
];
