import { createHash } from 'node:crypto';
import { PutSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Credentials, InstanceConfig } from '../config/index.ts';
import { defaultSecretName } from '../reader/contract/index.ts';
import { describeError, hasErrorName } from './errors.ts';

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
