import { authorizeCommand } from './authorize.ts';
import type { Command } from './Command.ts';
import { deployerPolicyCommand } from './deployerPolicy.ts';
import { initCommand } from './init.ts';
import { putCredentialsCommand } from './putCredentials.ts';
import { refreshCommand } from './refresh.ts';
import { statusCommand } from './status.ts';
import { tokenCommand } from './token.ts';
import { totpCommand } from './totp.ts';

/** Every subcommand, in the order `--help` lists them. */
export const commands: readonly Command[] = [
  tokenCommand,
  totpCommand,
  putCredentialsCommand,
  authorizeCommand,
  initCommand,
  refreshCommand,
  statusCommand,
  deployerPolicyCommand,
];
