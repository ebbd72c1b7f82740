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
  credentialsSchemas,
  type InstanceConfig,
  parseCredentials,
  parseCredentialsJson,
} from '../../lambdas/config/index.ts';
import { defaultSecretName } from '../../lambdas/envelope/names.ts';
import { loginInstance } from '../../lambdas/providers/index.ts';
import { sanitiseDetail } from '../../lambdas/providers/sanitiseDetail.ts';
import { secretsOf } from '../../lambdas/providers/secretsOf.ts';
import { TotpGuard } from '../../lambdas/totp/index.ts';
import { CredentialsCheckError, SecretWriteError } from '../support/errors.ts';
import { FileTotpStepStore } from '../support/FileTotpStepStore.ts';
import { LoginProgress } from '../support/LoginProgress.ts';
import { promptHidden } from '../support/promptHidden.ts';
import { findInstance, readConfigFile } from '../support/readConfigFile.ts';
import { readCredentialsFile } from '../support/readCredentialsFile.ts';
import { readAll } from '../support/readStdin.ts';
import { type Command, type CommandIo, UsageError } from './Command.ts';

const help = `Usage: token-broker put-credentials NAME --config FILE [--from-file FILE] [--check]
                                    [--kms-key-id KEY]

Stores the credentials of instance NAME in its Secrets Manager secret ({parameterPrefix}/{NAME},
or the instance's secretId), creating the secret when it does not exist yet.

The credentials JSON is read from standard input, for example
  crisisworks, code42-local-account:      {"username": "...", "password": "...", "totpSecret": "BASE32..."}
  code42-api-client, oauth2-client-credentials: {"clientId": "...", "clientSecret": "..."}
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

Needs secretsmanager:CreateSecret and secretsmanager:PutSecretValue on the secret (with
--kms-key-id, kms:GenerateDataKey and kms:Encrypt on the key).

Exit codes: 0 stored; 1 invalid credentials, a failed --check (nothing stored) or an AWS error
(naming the instance and the secret); 2 a usage mistake, including a missing or invalid --config
or --from-file file and an empty standard input.
`;

/** Whether a credentials field is a secret, and so typed without echo. */
function isSecretField(field: string): boolean {
  return /password|secret/i.test(field);
}

async function promptCredentials(instance: InstanceConfig, io: CommandIo): Promise<unknown> {
  const schema = credentialsSchemas[instance.type];
  io.stderr.write(`Credentials for "${instance.name}" (${instance.type}):\n`);
  const value: Record<string, string> = {};
  for (const [field, fieldSchema] of Object.entries(schema.shape)) {
    const optional = fieldSchema.safeParse(undefined).success;
    const question = `  ${field}${optional ? ' (optional, Enter to skip)' : ''}: `;
    const answer = isSecretField(field)
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
  fromFile: string | undefined,
  io: CommandIo,
): Promise<Credentials> {
  if (fromFile !== undefined) {
    return parseCredentials(
      instance,
      await readCredentialsFile('--from-file', fromFile, instance.name),
    );
  }
  if (io.stdin.isTTY) return parseCredentials(instance, await promptCredentials(instance, io));
  const text = await readAll(io.stdin);
  if (text.trim() === '') {
    throw new UsageError(
      'no input on stdin: pipe the credentials JSON in, use --from-file FILE, or run on a terminal to be asked',
    );
  }
  return parseCredentialsJson(instance, text);
}

/** Logs in once with the new credentials, so that wrong ones are never stored. */
async function checkLogin(instance: InstanceConfig, credentials: Credentials, io: CommandIo) {
  const steps = new FileTotpStepStore(FileTotpStepStore.defaultPath(io.env));
  steps.ensureWritable();
  const progress = new LoginProgress(instance.name, io.stderr);
  const totpGuard = new TotpGuard({ steps, sleep: progress.totpSleep });
  try {
    await progress.track(
      loginInstance(instance, credentials, { totpGuard, sleep: progress.retrySleep }),
    );
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new CredentialsCheckError(`${reason}; nothing was stored`, { cause: error });
  }
  io.stderr.write(
    `token-broker: instance "${instance.name}": logged in with the new credentials\n`,
  );
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
 * Creates or updates the instance's secret.
 *
 * @throws {SecretWriteError} naming the instance, the secret and the SDK's error (redacted)
 */
async function storeSecret(
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
    const what =
      error instanceof Error
        ? `${error.name}: ${error.message}${code === undefined || error.message.includes(code) ? '' : ` (${code})`}`
        : String(error);
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
      },
    });
    const [name, ...extra] = positionals;
    if (name === undefined || extra.length > 0)
      throw new UsageError('expected exactly one instance NAME');
    if (values.config === undefined) throw new UsageError('--config FILE is required');
    const config = await readConfigFile(values.config);
    const instance = findInstance(config, name);
    const credentials = await readCredentials(instance, values['from-file'], io);
    if (values.check) await checkLogin(instance, credentials, io);
    const { secret, created } = await storeSecret(
      config,
      instance,
      credentials,
      values['kms-key-id'],
    );
    io.stdout.write(`${created ? 'created' : 'updated'} secret ${secret} for instance "${name}"\n`);
    return 0;
  },
};
