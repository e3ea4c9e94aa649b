#!/usr/bin/env node
/**
 * `movalytics <command>`: one CLI for every pipeline step. Each flag can also come from a
 * `MOVALYTICS_*` environment variable (`--run-id` ← `MOVALYTICS_RUN_ID`).
 */
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { commands } from './commands';
import { commonOptions, type CommonArgs } from './core/config';
import { ExitCode } from './core/errors';

export function buildCli(argv: string[]): Argv<CommonArgs> {
  let cli = yargs(argv)
    .scriptName('movalytics')
    .env('MOVALYTICS')
    .options(commonOptions) as unknown as Argv<CommonArgs>;
  for (const register of commands) cli = register(cli);
  return cli
    .demandCommand(1, 'Name a command; see --help')
    .strict()
    .recommendCommands()
    .wrap(Math.min(110, process.stdout.columns ?? 110))
    .fail((message: string | undefined, error: Error | undefined, parser: Argv) => {
      if (error) throw error;
      process.stderr.write(`${parser.help()}\n\nerror: ${message}\n`);
      process.exit(ExitCode.usage);
    })
    .help()
    .version();
}

if (require.main === module) {
  buildCli(hideBin(process.argv))
    .parseAsync()
    .catch((error: unknown) => {
      process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = ExitCode.unexpected;
    });
}
