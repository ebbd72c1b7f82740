import type { Command } from './Command.ts';
import { putCredentialsCommand } from './putCredentials.ts';

/** Every subcommand, in the order `--help` lists them. */
export const commands: readonly Command[] = [putCredentialsCommand];
