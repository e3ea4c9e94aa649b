/** How a task folder adds its command to the CLI: a function that registers it on the yargs parser. */
import type { Argv } from 'yargs';
import type { CommonArgs } from './config';

export type RegisterCommand = (cli: Argv<CommonArgs>) => Argv<CommonArgs>;
