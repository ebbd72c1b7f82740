import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { type Credentials, type InstanceConfig, parseCredentialsJson } from '../config/index.ts';
import { defaultSecretName } from '../envelope/index.ts';
import { describeError } from './describeError.ts';
import { StoreAccessError } from './errors.ts';
import { hasErrorName } from './hasErrorName.ts';

/**
 * Reads an instance's credentials from its Secrets Manager secret (`secretId`, else
 * `{parameterPrefix}/{name}`) and validates them against the provider type's schema.
 *
 * @throws {StoreAccessError} when the secret is missing, empty or cannot be read
 * @throws {CredentialsFormatError} when the value is not valid credentials for the type
 */
export async function readCredentials(
  secretsManager: SecretsManagerClient,
  parameterPrefix: string,
  instance: InstanceConfig,
): Promise<Credentials> {
  const secretId = instance.secretId ?? defaultSecretName(parameterPrefix, instance.name);
  let text: string | undefined;
  try {
    const output = await secretsManager.send(new GetSecretValueCommand({ SecretId: secretId }));
    text = output.SecretString;
  } catch (error) {
    const detail = hasErrorName(error, 'ResourceNotFoundException')
      ? `credentials secret ${secretId} does not exist or has no value yet (write it with "token-broker put-credentials ${instance.name}")`
      : `cannot read credentials secret ${secretId}: ${describeError(error)}`;
    throw new StoreAccessError(instance.name, detail, { cause: error });
  }
  if (text === undefined) {
    throw new StoreAccessError(instance.name, `credentials secret ${secretId} has no string value`);
  }
  return parseCredentialsJson(instance, text);
}
