import { createHash } from 'node:crypto';
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
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

/** Attempts of one write-back (each with the SDK's own retries inside). */
export const WRITE_BACK_ATTEMPTS = 3;

/** The wait before the second attempt, doubled for each further one, in ms. */
const WRITE_BACK_BASE_DELAY_MS = 250;

/** Errors another attempt cannot fix. */
const PERMANENT = [
  'AccessDeniedException',
  'ResourceNotFoundException',
  'InvalidRequestException',
  'InvalidParameterException',
  'ResourceExistsException',
  'DecryptionFailure',
  'EncryptionFailure',
];

/**
 * The `ClientRequestToken` of a write-back: a UUID-shaped SHA-256 digest of the new refresh token
 * (one-way, so the secret's version id reveals nothing). The same token always gets the same
 * request token, so a retried or repeated write of it creates no second version.
 *
 * @example
 * writeBackRequestToken('rt-2'); // => 'xxxxxxxx-xxxx-5xxx-8xxx-xxxxxxxxxxxx' (the same every time)
 */
export function writeBackRequestToken(refreshToken: string): string {
  const hex = createHash('sha256').update(`token-broker write-back\n${refreshToken}`).digest('hex');
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    `5${hex.slice(13, 16)}`,
    `8${hex.slice(17, 20)}`,
    hex.slice(20, 32),
  ].join('-');
}

/** The write-back failed after its attempts; the message names the secret, never a value. */
export class WriteBackError extends Error {
  public override readonly name = 'WriteBackError';
}

/**
 * Stores an instance's rotated credentials (the complete JSON, every other field unchanged) in its
 * secret with `PutSecretValue` and an idempotent {@link writeBackRequestToken}. Up to
 * {@link WRITE_BACK_ATTEMPTS} attempts with a doubling pause; errors that no attempt can fix
 * (access denied, a missing secret, a KMS failure) end it at once. Call it while holding the
 * instance's lease, and only when the credentials changed.
 *
 * @param options.abortSignal - the deadline of the whole write-back
 * @param options.sleep - waits between attempts (default: a timer)
 * @throws {WriteBackError} naming the secret and the last SDK error
 *
 * @example
 * await writeBackCredentials(secretsManager, '/tb/dev', instance, rotated, { abortSignal, sleep });
 */
export async function writeBackCredentials(
  secretsManager: SecretsManagerClient,
  parameterPrefix: string,
  instance: InstanceConfig,
  credentials: Credentials & { readonly refreshToken: string },
  options: {
    readonly abortSignal: AbortSignal;
    readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  },
): Promise<void> {
  const secretId = instance.secretId ?? defaultSecretName(parameterPrefix, instance.name);
  const command = new PutSecretValueCommand({
    SecretId: secretId,
    SecretString: JSON.stringify(credentials),
    ClientRequestToken: writeBackRequestToken(credentials.refreshToken),
  });
  let last: unknown;
  for (let attempt = 1; attempt <= WRITE_BACK_ATTEMPTS; attempt += 1) {
    if (attempt > 1) {
      await options
        .sleep(WRITE_BACK_BASE_DELAY_MS * 2 ** (attempt - 2), options.abortSignal)
        .catch(() => undefined);
    }
    if (options.abortSignal.aborted) break;
    try {
      await secretsManager.send(command, { abortSignal: options.abortSignal });
      return;
    } catch (error) {
      last = error;
      if (PERMANENT.some((name) => hasErrorName(error, name))) break;
    }
  }
  throw new WriteBackError(
    `cannot store the rotated refresh token in secret ${secretId}: ${last === undefined ? 'no time left' : describeError(last)}`,
  );
}
