import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import {
  CreateSecretCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import {
  type BrokerConfig,
  type Credentials,
  CredentialsFormatError,
  credentialsSchemas,
  describeThrown,
  type InstanceConfig,
  isRecord,
  isSecretCredentialField,
  parseCredentials,
  parseCredentialsJson,
  parseJsonLeniently,
} from '../../lambdas/config/index.ts';
import { sanitiseDetail } from '../../lambdas/providers/sanitiseDetail.ts';
import { secretsOf } from '../../lambdas/providers/secretsOf.ts';
import { defaultSecretName } from '../../lambdas/reader/contract/names.ts';
import { CredentialsCheckError, SecretWriteError } from '../support/errors.ts';
import { loginLocally } from '../support/loginLocally.ts';
import { promptHidden } from '../support/promptHidden.ts';
import { findInstance, readConfigFile } from '../support/readConfigFile.ts';
import { readAll, readCredentialsFile, readOptionFile } from '../support/readInput.ts';
import { type Command, type CommandIo, UsageError } from './Command.ts';

const help = `Usage: token-broker put-credentials NAME --config FILE [--from-file FILE] [--check]
                                    [--kms-key-id KEY] [--private-key-file PATH]

Stores the credentials of instance NAME in its Secrets Manager secret ({parameterPrefix}/{NAME},
or the instance's secretId), creating the secret when it does not exist yet.

The credentials JSON is read from standard input, for example
  crisisworks, code42-local-account:      {"username": "...", "password": "...", "totpSecret": "BASE32..."}
  code42-api-client, oauth2-client-credentials: {"clientId": "...", "clientSecret": "..."}
  oauth2-refresh-token: {"clientId": "...", "clientSecret": "...", "refreshToken": "..."}
  (private_key_jwt: "privateKey", a PKCS#8 PEM, and "keyId" instead of "clientSecret")
or, with --from-file, taken from the instance's entry of a file keyed by instance name (the
--credentials file of "token-broker token"). On a terminal each field is asked for instead,
secrets without echo. Credentials are never taken from the command line. They are validated
against the provider type's schema before anything is written. AWS is reached through the
standard SDK environment (AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL, ...).

Options:
  --config FILE       the broker configuration (JSON)
  --from-file FILE    a JSON object keyed by instance name; its NAME entry is stored
  --check             log in once with the new credentials first; store them only if it works
  --kms-key-id KEY    customer-managed KMS key for a secret this command creates
  --private-key-file PATH  the "privateKey" field, read from a PEM file (checked: PKCS#8, RSA or
                      P-256); the other fields come from stdin, the prompt or --from-file

Needs secretsmanager:CreateSecret and secretsmanager:PutSecretValue on the secret (with
--kms-key-id, kms:GenerateDataKey and kms:Encrypt on the key).

Exit codes: 0 stored; 1 invalid credentials, a failed --check (nothing stored) or an AWS error
(naming the instance and the secret); 2 a usage mistake, including a missing or invalid --config
or --from-file file and an empty standard input.
`;

async function promptCredentials(
  instance: InstanceConfig,
  io: CommandIo,
  given: Readonly<Record<string, string>>,
): Promise<Record<string, string>> {
  const schema = credentialsSchemas[instance.type];
  io.stderr.write(`Credentials for "${instance.name}" (${instance.type}):\n`);
  const value: Record<string, string> = {};
  for (const [field, fieldSchema] of Object.entries(schema.shape)) {
    if (Object.hasOwn(given, field)) continue;
    const optional = fieldSchema.safeParse(undefined).success;
    const question = `  ${field}${optional ? ' (optional, Enter to skip)' : ''}: `;
    const answer = isSecretCredentialField(field)
      ? await promptHidden(question, io.stdin, io.stderr)
      : await promptVisible(question, io);
    if (answer !== '' || !optional) value[field] = answer;
  }
  return value;
}

async function promptVisible(question: string, io: CommandIo): Promise<string> {
  const lines = createInterface({ input: io.stdin, output: io.stderr, terminal: true });
  try {
    return (await lines.question(question)).trim();
  } finally {
    lines.close();
  }
}

/**
 * The new credentials: the instance's entry of `--from-file`, else standard input (a terminal is
 * asked field by field), with the fields `given` by other options (`--private-key-file`) on top.
 */
async function readCredentials(
  instance: InstanceConfig,
  fromFile: string | undefined,
  io: CommandIo,
  given: Readonly<Record<string, string>>,
): Promise<Credentials> {
  if (fromFile !== undefined) {
    const entry = await readCredentialsFile('--from-file', fromFile, instance.name);
    return parseCredentials(instance, { ...(entry as object), ...given });
  }
  if (io.stdin.isTTY) {
    return parseCredentials(instance, {
      ...(await promptCredentials(instance, io, given)),
      ...given,
    });
  }
  const text = await readAll(io.stdin);
  if (text.trim() === '' && Object.keys(given).length === 0) {
    throw new UsageError(
      'no input on stdin: pipe the credentials JSON in, use --from-file FILE, or run on a terminal to be asked',
    );
  }
  if (Object.keys(given).length === 0) return parseCredentialsJson(instance, text);
  const read = text.trim() === '' ? {} : parseJsonObject(instance, text);
  return parseCredentials(instance, { ...read, ...given });
}

function parseJsonObject(instance: InstanceConfig, text: string): object {
  // Leniently: a syntax error's message would quote the input.
  const value = parseJsonLeniently(text);
  if (isRecord(value)) return value;
  throw new CredentialsFormatError(instance.name, 'standard input is not a JSON object');
}

/** Logs in once with the new credentials, so that wrong ones are never stored. */
/**
 * Logs in once with the new credentials, so that wrong ones are never stored.
 *
 * @returns the credentials to store: those given, or with the refresh token the login rotated
 *   (the given one no longer works)
 */
async function checkLogin(
  config: BrokerConfig,
  instance: InstanceConfig,
  credentials: Credentials,
  io: CommandIo,
): Promise<Credentials> {
  let toStore = credentials;
  try {
    await loginLocally(config, instance, credentials, io, {
      onRotated: async (rotated) => {
        toStore = rotated;
      },
    });
  } catch (error) {
    throw new CredentialsCheckError(`${describeThrown(error)}; nothing was stored`, {
      cause: error,
    });
  }
  io.stderr.write(
    `token-broker: instance "${instance.name}": logged in with the new credentials\n`,
  );
  return toStore;
}

async function writeSecret(
  secret: string,
  instance: InstanceConfig,
  secretString: string,
  kmsKeyId: string | undefined,
): Promise<{ created: boolean }> {
  const client = new SecretsManagerClient({});
  if (instance.secretId === undefined) {
    try {
      await client.send(
        new CreateSecretCommand({
          Name: secret,
          SecretString: secretString,
          KmsKeyId: kmsKeyId,
          Description: `token-broker credentials of ${instance.name} (${instance.type})`,
        }),
      );
      return { created: true };
    } catch (error) {
      if (!(error instanceof ResourceExistsException)) throw error;
    }
  }
  await client.send(new PutSecretValueCommand({ SecretId: secret, SecretString: secretString }));
  return { created: false };
}

/**
 * Creates the instance's secret (`{parameterPrefix}/{name}`, with `kmsKeyId` when given) holding
 * the credentials, or, when it exists or is the instance's `secretId`, puts a new value in it.
 *
 * @throws {SecretWriteError} naming the instance, the secret and the SDK's error (redacted)
 * @example
 * const { secret, created } = await storeSecret(config, instance, credentials, undefined);
 */
export async function storeSecret(
  config: BrokerConfig,
  instance: InstanceConfig,
  credentials: Credentials,
  kmsKeyId: string | undefined,
): Promise<{ secret: string; created: boolean }> {
  const secret = instance.secretId ?? defaultSecretName(config.parameterPrefix, instance.name);
  try {
    const { created } = await writeSecret(secret, instance, JSON.stringify(credentials), kmsKeyId);
    return { secret, created };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const withCode = error instanceof Error && code !== undefined && !error.message.includes(code);
    const what = `${describeThrown(error)}${withCode ? ` (${code})` : ''}`;
    throw new SecretWriteError(
      `instance "${instance.name}": cannot write secret ${secret}: ${sanitiseDetail(what, secretsOf(credentials))}`,
      { cause: error },
    );
  }
}

/** `token-broker put-credentials`: validates credentials and writes an instance's secret. */
export const putCredentialsCommand: Command = {
  name: 'put-credentials',
  summary: "validate an instance's credentials (stdin or prompt) and store them in Secrets Manager",
  help,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        config: { type: 'string' },
        'from-file': { type: 'string' },
        check: { type: 'boolean', default: false },
        'kms-key-id': { type: 'string' },
        'private-key-file': { type: 'string' },
      },
    });
    const [name, ...extra] = positionals;
    if (name === undefined || extra.length > 0)
      throw new UsageError('expected exactly one instance NAME');
    if (values.config === undefined) throw new UsageError('--config FILE is required');
    const config = await readConfigFile(values.config);
    const instance = findInstance(config, name);
    const keyFile = values['private-key-file'];
    const given: Record<string, string> =
      keyFile === undefined
        ? {}
        : { privateKey: await readOptionFile('--private-key-file', keyFile) };
    const credentials = await readCredentials(instance, values['from-file'], io, given);
    const checked = values.check
      ? await checkLogin(config, instance, credentials, io)
      : credentials;
    const { secret, created } = await storeSecret(config, instance, checked, values['kms-key-id']);
    io.stdout.write(`${created ? 'created' : 'updated'} secret ${secret} for instance "${name}"\n`);
    return 0;
  },
};
