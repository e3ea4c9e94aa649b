#!/usr/bin/env node
/**
 * `movalytics <command>`: one CLI for every pipeline step (the all-in-one image's entry and
 * `npm start`). Each step image has an entry of its own, `tasks/<step>/main.ts`.
 */
import type { Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { commands } from './commands';
import { buildCommandCli, runCommandCli } from './core/cli';
import type { CommonArgs } from './core/config';

export function buildCli(argv: string[]): Argv<CommonArgs> {
  return buildCommandCli(argv, commands);
}

if (require.main === module) runCommandCli(hideBin(process.argv), commands);
