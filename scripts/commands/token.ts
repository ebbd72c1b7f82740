import { parseArgs } from 'node:util';
import { type Credentials, parseCredentials } from '../../lambdas/config/index.ts';
import { loginInstance } from '../../lambdas/providers/index.ts';
import { TotpGuard } from '../../lambdas/totp/index.ts';
import { FileTotpStepStore } from '../support/FileTotpStepStore.ts';
import { findInstance, readConfigFile } from '../support/readConfigFile.ts';
import { readCredentialsFile } from '../support/readCredentialsFile.ts';
import { updateCredentialsFile } from '../support/updateCredentialsFile.ts';
import { type Command, UsageError } from './Command.ts';

const help = `Usage: token-broker token NAME --config FILE --credentials FILE

Logs in to instance NAME once and prints its token envelope (JSON), exactly as the refresher
would publish it. Use it to check an instance's configuration and credentials before deploying.
Nothing is read from or written to AWS.

Options:
  --config FILE         the broker configuration (JSON)
  --credentials FILE    a JSON object keyed by instance name, each value that instance's
                        credentials, for example
                        {"cw-sandbox": {"username": "...", "password": "...", "totpSecret": "..."},
                         "idp": {"clientId": "...", "clientSecret": "..."}}

A refresh token the server rotates (oauth2-refresh-token) is written back to the credentials
file at once, even when the login fails afterwards: the old one no longer works.

With a TOTP seed, a code is never sent twice: a run within the same 30-second step as the
previous one waits for the next step. The steps used are remembered (by seed digest, never the
seed) in $TOKEN_BROKER_STATE_DIR/totp-steps.json, by default ~/.local/state/token-broker/.

On failure the exit code is 1 and one line on stderr says which instance failed and why
(never a secret); usage mistakes exit with 2.
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
      options: { config: { type: 'string' }, credentials: { type: 'string' } },
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
      await readCredentialsFile(credentialsFile, name),
    );
    const totpGuard = new TotpGuard({
      steps: new FileTotpStepStore(FileTotpStepStore.defaultPath(io.env)),
    });
    let rotated: Credentials | undefined;
    const login = loginInstance(instance, credentials, {
      totpGuard,
      onCredentialsRotated: (next) => {
        rotated = next;
      },
    });
    const envelope = await login.finally(async () => {
      if (rotated === undefined) return;
      await updateCredentialsFile(credentialsFile, name, rotated);
      io.stderr.write(`stored the rotated refresh token of "${name}" in ${credentialsFile}\n`);
    });
    io.stdout.write(`${JSON.stringify(envelope, null, 2)}\n`);
    return 0;
  },
};
