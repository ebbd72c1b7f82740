import { parseArgs } from 'node:util';
import { parseCredentials } from '../../lambdas/config/index.ts';
import { loginLocally } from '../support/loginLocally.ts';
import { findInstance, readConfigFile } from '../support/readConfigFile.ts';
import { readCredentialsFile } from '../support/readInput.ts';
import { redactEnvelope } from '../support/redactEnvelope.ts';
import { updateCredentialsFile } from '../support/updateCredentialsFile.ts';
import { type Command, UsageError } from './Command.ts';

const help = `Usage: token-broker token NAME --config FILE --credentials FILE [--show-token]

Logs in to instance NAME once and prints its token envelope (JSON) as the refresher would
publish it, with the token redacted: its first and last characters, its length and, for a JWT,
its claims (tokenClaims). Use it to check an instance's configuration and credentials before
deploying. Nothing is published and no secret is read from AWS.

Options:
  --config FILE         the broker configuration (JSON)
  --credentials FILE    a JSON object keyed by instance name, each value that instance's
                        credentials, for example
                        {"cw-sandbox": {"username": "...", "password": "...", "totpSecret": "..."},
                         "idp": {"clientId": "...", "clientSecret": "..."}}
  --show-token          print the token whole (it is a live bearer credential)

A refresh token the server rotates (oauth2-refresh-token) is written back to the credentials
file at once, even when the login fails afterwards: the old one no longer works.

With a TOTP seed, a code is never sent twice: a run within the same 30-second step as the
previous one waits for the next step. The steps used are remembered (by seed digest, never the
seed) in $TOKEN_BROKER_STATE_DIR/totp-steps.json, by default ~/.local/state/token-broker/, and,
when AWS is reachable, in the broker's state table (stateTable) through the instance's login
lease, as the refresher does: a token run right after a refresh (or before one) waits for the
step instead of having its code refused as a replay. Without AWS it says so and goes on.
While it waits (for a TOTP step, before a retry, for a slow endpoint) it says so on stderr.

Exit codes: 0 logged in; 1 the login failed (one line on stderr names the instance and the
reason, never a secret) or the state directory is unusable; 2 a usage mistake, including a
missing or invalid --config or --credentials file.
`;

/** `token-broker token`: logs in to one instance and prints the envelope. */
export const tokenCommand: Command = {
  name: 'token',
  summary: 'log in to one instance with local credentials and print its token envelope',
  help,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        config: { type: 'string' },
        credentials: { type: 'string' },
        'show-token': { type: 'boolean', default: false },
      },
    });
    const [name, ...extra] = positionals;
    if (name === undefined || extra.length > 0) {
      throw new UsageError('expected exactly one instance NAME');
    }
    if (values.config === undefined) throw new UsageError('--config FILE is required');
    const credentialsFile = values.credentials;
    if (credentialsFile === undefined) throw new UsageError('--credentials FILE is required');
    const config = await readConfigFile(values.config);
    const instance = findInstance(config, name);
    const credentials = parseCredentials(
      instance,
      await readCredentialsFile('--credentials', credentialsFile, name),
    );
    const envelope = await loginLocally(config, instance, credentials, io, {
      onRotated: async (rotated) => {
        await updateCredentialsFile(credentialsFile, name, rotated);
        io.stderr.write(
          `token-broker: instance "${name}": stored the rotated refresh token in ${credentialsFile}\n`,
        );
      },
    });
    const shown = values['show-token'] ? envelope : redactEnvelope(envelope);
    io.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
    return 0;
  },
};
