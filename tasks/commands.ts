/** Every command of the `movalytics` CLI, one per task folder. */
import type { RegisterCommand } from './core/command';
import { registerExtractCpi } from './extract-cpi/command';
import { registerExtractMovies } from './extract-movies/command';
import { registerSteps } from './pipeline/steps-command';
import { registerTransform } from './transform';

export const commands: RegisterCommand[] = [
  registerExtractMovies,
  registerExtractCpi,
  registerSteps,
  registerTransform,
];
