/**
 * The `movalytics` command line around a set of commands: the all-in-one CLI registers every
 * command (tasks/cli.ts); a step image's entry registers its own command only (tasks/<step>/main.ts),
 * so its bundle holds that step's code and nothing else. Each flag can also come from a
 * `MOVALYTICS_*` environment variable (`--run-id` ← `MOVALYTICS_RUN_ID`).
 */
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { version } from '../../package.json';
import type { RegisterCommand } from './command';
import { commonOptions, type CommonArgs } from './config';
import { ExitCode, UsageError } from './errors';

export function buildCommandCli(argv: string[], commands: readonly RegisterCommand[]): Argv<CommonArgs> {
  let cli = yargs(argv)
    .scriptName('movalytics')
    .env('MOVALYTICS')
    .options(commonOptions) as unknown as Argv<CommonArgs>;
  for (const register of commands) cli = register(cli);
  return cli
    .demandCommand(1, 'Name a command (see --help)')
    // Not .strict(): it would also reject MOVALYTICS_* variables meant for other commands.
    .strictCommands()
    .check(() => rejectUnknownFlags(argv, cli))
    .recommendCommands()
    .wrap(Math.min(110, process.stdout.columns ?? 110))
    .fail((message: string | undefined, error: Error | undefined) => {
      // Usage mistakes (yargs' own, and unknown flags) get one line and exit 2; other errors are bugs.
      if (error && !(error instanceof UsageError) && error.name !== 'YError') throw error;
      process.stderr.write(`error: ${message ?? error?.message ?? 'invalid usage'}\n`);
      process.exit(ExitCode.usage);
    })
    .help()
    // Stated, not guessed: yargs would look for a package.json above the working directory.
    .version(version);
}

/** Parses `argv`, runs the command it names and leaves its exit code in `process.exitCode`. */
export function runCommandCli(argv: string[], commands: readonly RegisterCommand[]): void {
  buildCommandCli(argv, commands)
    .parseAsync()
    .catch((error: unknown) => {
      process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = ExitCode.unexpected;
    });
}

/**
 * A step image's entry: the image is entered at its command (`docker run movalytics-load ratings`
 * runs `movalytics load ratings`), so its arguments follow the command's name.
 */
export function runStepCli(command: string, register: RegisterCommand): void {
  runCommandCli([command, ...hideBin(process.argv)], [register]);
}

/**
 * Flags typed on the command line must be options of the command; MOVALYTICS_* variables may
 * name options of other commands (one environment serves a whole pipeline) and are ignored there.
 */
function rejectUnknownFlags(argv: string[], parser: Argv<CommonArgs>): true {
  // getOptions() is public in yargs 17 but missing from its typings: it lists the command's options.
  const { key } = (parser as unknown as { getOptions(): { key: Record<string, boolean> } }).getOptions();
  const known = new Set(Object.keys(key));
  const flags = argv
    .filter((arg) => arg.startsWith('--') && arg !== '--')
    .map((arg) => (arg.slice(2).split('=')[0] ?? '').replace(/^no-/, ''));
  const unknown = flags.filter((flag) => !known.has(flag));
  if (unknown.length > 0) throw new UsageError(`Unknown argument${unknown.length > 1 ? 's' : ''}: ${unknown.map((f) => `--${f}`).join(', ')}`);
  return true;
}
