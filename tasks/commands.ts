/** Every command of the `movalytics` CLI, one per task folder. */
import type { RegisterCommand } from './core/command';
import { registerExtractCpi } from './extract-cpi/command';
import { registerExtractMovies } from './extract-movies/command';
import { registerGenerateSample } from './generate-sample';
import { registerSteps } from './pipeline/steps-command';
import { registerReport } from './report/command';
import { registerTransform } from './transform';

export const commands: RegisterCommand[] = [
  registerGenerateSample,
  registerExtractMovies,
  registerExtractCpi,
  registerSteps,
  registerReport,
  registerTransform,
];
