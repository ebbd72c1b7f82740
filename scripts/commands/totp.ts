import { parseArgs } from 'node:util';
import { parseTotpSeed, totpCode } from '../../lambdas/totp/index.ts';
import { promptHidden } from '../support/promptHidden.ts';
import { readAll } from '../support/readInput.ts';
import { type Command, UsageError } from './Command.ts';

const help = `Usage: token-broker totp < SEED_FILE

Reads a base32 TOTP seed (one line) from standard input and prints the current 6-digit code,
like "oathtool --totp -b SEED" (RFC 6238: HMAC-SHA1, 30-second steps). Spaces, dashes and "="
padding in the seed are ignored. On a terminal the seed is asked for without echo. The seed is
never taken from the command line, where it would land in the shell history and process list.

Example:
  printf '%s\\n' "$SEED" | token-broker totp
`;

/** `token-broker totp`: prints the current TOTP code of a seed read from stdin. */
export const totpCommand: Command = {
  name: 'totp',
  summary: 'print the current TOTP code of a base32 seed read from stdin (like oathtool --totp -b)',
  help,
  async run(args, io) {
    const { positionals } = parseArgs({ args: [...args], allowPositionals: true, options: {} });
    if (positionals.length > 0) {
      // Never echo the argument: it may be the seed.
      throw new UsageError('the seed is read from standard input, never from the command line');
    }
    const text = io.stdin.isTTY
      ? await promptHidden('TOTP seed (base32): ', io.stdin, io.stderr)
      : await readAll(io.stdin);
    const [firstLine = ''] = text.split(/\r?\n/, 1);
    io.stdout.write(`${totpCode(parseTotpSeed(firstLine))}\n`);
    return 0;
  },
};
