/** Every command of the `movalytics` CLI, one per task folder. */
import type { RegisterCommand } from './core/command';

export const commands: RegisterCommand[] = [];
