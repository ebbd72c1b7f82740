import { createHash, randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { describeIssues } from '../../lambdas/config/errors.ts';
import {
  type BrokerConfig,
  type InstanceConfigOf,
  isRecord,
  ProviderTypes,
  parseCredentials,
  refreshTokenCredentialsSchema,
} from '../../lambdas/config/index.ts';
import { createLoginContext } from '../../lambdas/providers/createLoginContext.ts';
import { ProviderRequestError } from '../../lambdas/providers/errors.ts';
import { requestOAuth2Token } from '../../lambdas/providers/oauth2TokenEndpoint.ts';
import { sanitiseDetail } from '../../lambdas/providers/sanitiseDetail.ts';
import { defaultSecretName } from '../../lambdas/reader/contract/names.ts';
import { findInstance, readConfigFile } from '../support/readConfigFile.ts';
import { readAll } from '../support/readInput.ts';
import { listenForRedirect } from '../support/receiveRedirect.ts';
import { type Command, type CommandIo, UsageError } from './Command.ts';
import { storeSecret } from './putCredentials.ts';

const help = `Usage: token-broker authorize NAME --config FILE [--timeout SECONDS] [--kms-key-id KEY]

Obtains a refresh token for the oauth2-refresh-token instance NAME with the authorization code
flow and PKCE (S256), and stores it in the instance's secret, as put-credentials would. Run it
for the first token, and again whenever the refresher reports "re-authorize".

1. The client's credentials, {"clientId": "...", "clientSecret": "..."} (or "privateKey" and
   "keyId" for private_key_jwt, or the id alone for clientAuth "none"), are read from standard
   input; on a terminal, from the instance's current secret instead.
2. A listener on http://127.0.0.1:PORT/callback waits for the redirect (the instance's
   redirectPort, else a random free port; register http://127.0.0.1/callback, any port, with
   the authorization server).
3. The URL to open in a browser is printed. Sign in and approve there.
4. The redirect's state is checked, the code is exchanged at tokenUrl, and the refresh token is
   stored. Nothing secret is ever printed.

Options:
  --config FILE        the broker configuration (JSON); the instance needs authorizeUrl
  --timeout SECONDS    how long to wait for the redirect (default 300)
  --kms-key-id KEY     customer-managed KMS key for a secret this command creates
`;

type RefreshTokenInstance = InstanceConfigOf<typeof ProviderTypes.oauth2RefreshToken>;

/** The client part of the credentials (everything but the refresh token). */
const clientSchema = refreshTokenCredentialsSchema.omit({ refreshToken: true });

async function readClient(config: BrokerConfig, instance: RefreshTokenInstance, io: CommandIo) {
  let text: string;
  if (io.stdin.isTTY) {
    const secretId = instance.secretId ?? defaultSecretName(config.parameterPrefix, instance.name);
    const output = await new SecretsManagerClient({}).send(
      new GetSecretValueCommand({ SecretId: secretId }),
    );
    text = output.SecretString ?? '';
  } else {
    text = await readAll(io.stdin);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError('the client credentials are not valid JSON');
  }
  const { refreshToken: _old, ...client } = isRecord(value) ? value : {};
  const parsed = clientSchema.safeParse(client);
  if (!parsed.success) {
    throw new UsageError(`invalid client credentials: ${describeIssues(parsed.error.issues)}`);
  }
  // The same checks as the stored credentials will get (clientAuth's field), with a placeholder.
  parseCredentials(instance, { ...parsed.data, refreshToken: 'pending' });
  return parsed.data;
}

function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** `token-broker authorize`: the authorization code flow with PKCE on a loopback redirect. */
export const authorizeCommand: Command = {
  name: 'authorize',
  summary: 'get a refresh token in the browser (authorization code + PKCE) and store it',
  help,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        config: { type: 'string' },
        timeout: { type: 'string' },
        'kms-key-id': { type: 'string' },
      },
    });
    const [name, ...extra] = positionals;
    if (name === undefined || extra.length > 0)
      throw new UsageError('expected exactly one instance NAME');
    if (values.config === undefined) throw new UsageError('--config FILE is required');
    const timeoutSeconds = Number(values.timeout ?? '300');
    if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1) {
      throw new UsageError('--timeout must be a whole number of seconds');
    }
    const config = await readConfigFile(values.config);
    const found = findInstance(config, name);
    if (found.type !== ProviderTypes.oauth2RefreshToken) {
      throw new UsageError(`instance "${name}" is ${found.type}, not oauth2-refresh-token`);
    }
    const instance = found;
    if (instance.authorizeUrl === undefined) {
      throw new UsageError(`instance "${name}" has no authorizeUrl in the configuration`);
    }
    const client = await readClient(config, instance, io);
    const { verifier, challenge } = pkcePair();
    const state = randomBytes(24).toString('base64url');
    const listener = await listenForRedirect(instance.redirectPort);
    try {
      const url = new URL(instance.authorizeUrl);
      for (const [key, value] of Object.entries({
        response_type: 'code',
        client_id: client.clientId,
        redirect_uri: listener.redirectUri,
        code_challenge: challenge,
        code_challenge_method: 'S256',
        state,
        ...(instance.scope === undefined ? {} : { scope: instance.scope }),
      })) {
        url.searchParams.set(key, value);
      }
      io.stdout.write(`Open this URL in a browser to authorize "${name}":\n\n  ${url}\n\n`);
      io.stdout.write(`Waiting for the redirect to ${listener.redirectUri} …\n`);
      const query = await Promise.race([
        listener.query,
        new Promise<never>((_, reject) =>
          setTimeout(
            () => reject(new Error(`no redirect within ${timeoutSeconds} s`)),
            timeoutSeconds * 1000,
          ).unref(),
        ),
      ]);
      const refused = query.get('error');
      if (refused !== null) {
        const description = query.get('error_description');
        throw new Error(
          `instance "${name}": the authorization server refused: ${sanitiseDetail(`${refused}${description === null ? '' : `: ${description}`}`, [])}`,
        );
      }
      if (query.get('state') !== state) {
        throw new Error(`instance "${name}": the redirect's state does not match; nothing stored`);
      }
      const code = query.get('code');
      if (code === null || code === '')
        throw new Error(`instance "${name}": the redirect has no code`);
      const context = createLoginContext(instance, { ...client, refreshToken: code }, {});
      const response = await requestOAuth2Token(context, {
        tokenUrl: instance.tokenUrl,
        clientAuth: instance.clientAuth,
        client,
        grant: {
          grant_type: 'authorization_code',
          code,
          redirect_uri: listener.redirectUri,
          code_verifier: verifier,
        },
      });
      const body = context.json(response);
      const refreshToken = isRecord(body) ? body.refresh_token : undefined;
      if (typeof refreshToken !== 'string' || refreshToken === '') {
        throw context.error(
          ProviderRequestError,
          'the token response has no refresh_token (the server may need a scope such as offline_access)',
        );
      }
      const credentials = parseCredentials(instance, { ...client, refreshToken });
      const { secret, created } = await storeSecret(
        config,
        instance,
        credentials,
        values['kms-key-id'],
      );
      io.stdout.write(
        `${created ? 'created' : 'updated'} secret ${secret} with a new refresh token for instance "${name}"\n`,
      );
      return 0;
    } finally {
      await listener.close();
    }
  },
};
