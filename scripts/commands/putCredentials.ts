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
  CredentialsFormatError,
  credentialsSchemas,
  type InstanceConfig,
  isSecretCredentialField,
  parseCredentials,
  parseCredentialsJson,
} from '../../lambdas/config/index.ts';
import { defaultSecretName } from '../../lambdas/envelope/names.ts';
import { promptHidden } from '../support/promptHidden.ts';
import { findInstance, readConfigFile } from '../support/readConfigFile.ts';
import { readOptionFile } from '../support/readOptionFile.ts';
import { readAll } from '../support/readStdin.ts';
import { type Command, type CommandIo, UsageError } from './Command.ts';

const help = `Usage: token-broker put-credentials NAME --config FILE [--kms-key-id KEY] [--private-key-file PATH]

Stores the credentials of instance NAME in its Secrets Manager secret ({parameterPrefix}/{NAME},
or the instance's secretId), creating the secret when it does not exist yet.

The credentials JSON is read from standard input, for example
  crisisworks, code42-local-account:      {"username": "...", "password": "...", "totpSecret": "BASE32..."}
  code42-api-client, oauth2-client-credentials: {"clientId": "...", "clientSecret": "..."}
  oauth2-refresh-token: {"clientId": "...", "clientSecret": "...", "refreshToken": "..."}
  (private_key_jwt: "privateKey", a PKCS#8 PEM, and "keyId" instead of "clientSecret")
On a terminal each field is asked for instead, secrets without echo. Credentials are never taken
from the command line. They are validated against the provider type's schema before anything is
written. AWS is reached through the standard SDK environment (AWS_PROFILE, AWS_REGION,
AWS_ENDPOINT_URL, ...).

Options:
  --config FILE       the broker configuration (JSON)
  --kms-key-id KEY    customer-managed KMS key for a secret this command creates
  --private-key-file PATH  the "privateKey" field, read from a PEM file (checked: PKCS#8, RSA or P-256)
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

async function readCredentials(
  instance: InstanceConfig,
  io: CommandIo,
  given: Readonly<Record<string, string>>,
) {
  if (io.stdin.isTTY) {
    return parseCredentials(instance, {
      ...(await promptCredentials(instance, io, given)),
      ...given,
    });
  }
  const text = await readAll(io.stdin);
  if (Object.keys(given).length === 0) return parseCredentialsJson(instance, text);
  const read = text.trim() === '' ? {} : parseJsonObject(instance, text);
  return parseCredentials(instance, { ...read, ...given });
}

function parseJsonObject(instance: InstanceConfig, text: string): object {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null) return value;
  } catch {
    // The syntax error's message quotes the input: replaced by one that does not.
  }
  throw new CredentialsFormatError(instance.name, 'standard input is not a JSON object');
}

/**
 * Creates the instance's secret (`{parameterPrefix}/{name}`, with `kmsKeyId` when given) holding
 * `secretString`, or, when it exists or is the instance's `secretId`, puts a new value in it.
 *
 * @example
 * const { secret, created } = await storeSecret(config, instance, JSON.stringify(credentials), undefined);
 */
export async function storeSecret(
  config: BrokerConfig,
  instance: InstanceConfig,
  secretString: string,
  kmsKeyId: string | undefined,
): Promise<{ secret: string; created: boolean }> {
  const client = new SecretsManagerClient({});
  const secret = instance.secretId ?? defaultSecretName(config.parameterPrefix, instance.name);
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
      return { secret, created: true };
    } catch (error) {
      if (!(error instanceof ResourceExistsException)) throw error;
    }
  }
  await client.send(new PutSecretValueCommand({ SecretId: secret, SecretString: secretString }));
  return { secret, created: false };
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
    const credentials = await readCredentials(instance, io, given);
    const { secret, created } = await storeSecret(
      config,
      instance,
      JSON.stringify(credentials),
      values['kms-key-id'],
    );
    io.stdout.write(`${created ? 'created' : 'updated'} secret ${secret} for instance "${name}"\n`);
    return 0;
  },
};
