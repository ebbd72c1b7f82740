import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { type Credentials, type InstanceConfig, parseCredentialsJson } from '../config/index.ts';
import { defaultSecretName } from '../reader/contract/index.ts';
import { describeError, hasErrorName, StoreAccessError } from './errors.ts';

/** An instance's credentials, or why there are none yet. */
export type CredentialsRead =
  | { readonly kind: 'ready'; readonly credentials: Credentials }
  /** The secret exists but has no value yet: the instance waits for `put-credentials`. */
  | { readonly kind: 'pending'; readonly reason: string };

/**
 * Reads an instance's credentials from its Secrets Manager secret (`secretId`, else
 * `{parameterPrefix}/{name}`) and validates them against the provider type's schema. A secret
 * that exists without a value (the stack creates it so when its config holds no credentials) is
 * `pending`, not an error.
 *
 * @param options.abortSignal - aborts the calls (a deadline)
 * @throws {StoreAccessError} when the secret does not exist, holds no string, or cannot be read
 * @throws {CredentialsFormatError} when the value is not valid credentials for the type
 */
export async function readCredentials(
  secretsManager: SecretsManagerClient,
  parameterPrefix: string,
  instance: InstanceConfig,
  options: { readonly abortSignal?: AbortSignal } = {},
): Promise<CredentialsRead> {
  const secretId = instance.secretId ?? defaultSecretName(parameterPrefix, instance.name);
  let text: string | undefined;
  try {
    const output = await secretsManager.send(
      new GetSecretValueCommand({ SecretId: secretId }),
      options,
    );
    text = output.SecretString;
  } catch (error) {
    if (hasErrorName(error, 'ResourceNotFoundException')) {
      const exists = await secretExists(secretsManager, secretId, options.abortSignal).catch(
        (describeFailure: unknown) => {
          throw new StoreAccessError(
            instance.name,
            `cannot read credentials secret ${secretId}: ${describeError(describeFailure)}`,
            { cause: describeFailure },
          );
        },
      );
      if (exists) {
        return {
          kind: 'pending',
          reason: `credentials secret ${secretId} has no value yet (write it with "token-broker put-credentials ${instance.name}")`,
        };
      }
      throw new StoreAccessError(instance.name, `credentials secret ${secretId} does not exist`, {
        cause: error,
      });
    }
    throw new StoreAccessError(
      instance.name,
      `cannot read credentials secret ${secretId}: ${describeError(error)}`,
      { cause: error },
    );
  }
  if (text === undefined) {
    throw new StoreAccessError(instance.name, `credentials secret ${secretId} has no string value`);
  }
  return { kind: 'ready', credentials: parseCredentialsJson(instance, text) };
}

async function secretExists(
  secretsManager: SecretsManagerClient,
  secretId: string,
  abortSignal: AbortSignal | undefined,
): Promise<boolean> {
  try {
    await secretsManager.send(
      new DescribeSecretCommand({ SecretId: secretId }),
      abortSignal === undefined ? {} : { abortSignal },
    );
    return true;
  } catch (error) {
    if (hasErrorName(error, 'ResourceNotFoundException')) return false;
    throw error;
  }
}
