/** Every command of the `movalytics` CLI, one per task folder. */
import type { RegisterCommand } from './core/command';
import { registerSteps } from './pipeline/steps-command';

export const commands: RegisterCommand[] = [
  registerSteps,
];
