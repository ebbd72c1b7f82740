import type { Command } from './Command.ts';

/** Every subcommand, in the order `--help` lists them. */
export const commands: readonly Command[] = [];
