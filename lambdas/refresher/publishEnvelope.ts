import { PutParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import {
  isSharedInstance,
  type ReaderFields,
  type TokenParameterTier,
  TokenParameterTiers,
  tokenParameterTier,
} from '../config/readers.ts';
import {
  sharedTokenKeyAlias,
  type TokenEnvelope,
  tokenParameterName,
} from '../reader/contract/index.ts';
import { describeError, StoreAccessError } from './errors.ts';

/** How an instance's token parameter is written: its tier and its KMS key. */
export interface TokenParameterStorage {
  readonly tier: TokenParameterTier;
  /** KMS key id, alias or ARN; `undefined`: the account's `aws/ssm` key. */
  readonly kmsKeyId: string | undefined;
}

/**
 * How an instance's token is published. An unshared one: Intelligent-Tiering, under the configured
 * key (or `aws/ssm`). One shared with other accounts: Advanced, stated on every publish (only
 * advanced parameters can be shared, and none goes back to standard), under the configured key,
 * else the key the stack created for shared tokens, by its alias (`aws/ssm` cannot be shared).
 *
 * @example
 * tokenParameterStorage({ readerAccounts: ['111122223333'] }, '/tb/dev', undefined);
 * // => { tier: 'Advanced', kmsKeyId: 'alias/token-broker-shared/tb/dev' }
 */
export function tokenParameterStorage(
  instance: ReaderFields,
  parameterPrefix: string,
  kmsKeyId: string | undefined,
): TokenParameterStorage {
  const shared = isSharedInstance(instance);
  return {
    tier: tokenParameterTier(instance),
    kmsKeyId: kmsKeyId ?? (shared ? sharedTokenKeyAlias(parameterPrefix) : undefined),
  };
}

/**
 * Publishes a complete envelope with one PutParameter (SecureString, Overwrite, the tier, the KMS
 * key when given): a reader sees the old token or the new one.
 *
 * @param options.kmsKeyId - KMS key id, alias or ARN; default: the account's `aws/ssm` key
 * @param options.tier - default Intelligent-Tiering; `Advanced` for a shared token
 * @param options.abortSignal - aborts the call (a deadline)
 * @throws {StoreAccessError} naming the instance and the SDK error (never the value)
 * @example
 * await publishEnvelope(ssm, '/tb/dev', envelope, tokenParameterStorage(instance, '/tb/dev', undefined));
 */
export async function publishEnvelope(
  ssm: SSMClient,
  parameterPrefix: string,
  envelope: TokenEnvelope,
  options: {
    readonly kmsKeyId?: string | undefined;
    readonly tier?: TokenParameterTier;
    readonly abortSignal?: AbortSignal;
  } = {},
): Promise<void> {
  const parameterName = tokenParameterName(parameterPrefix, envelope.name);
  const { kmsKeyId, tier = TokenParameterTiers.unshared, abortSignal } = options;
  try {
    await ssm.send(
      new PutParameterCommand({
        Name: parameterName,
        Value: JSON.stringify(envelope),
        Type: 'SecureString',
        Overwrite: true,
        Tier: tier,
        ...(kmsKeyId === undefined ? {} : { KeyId: kmsKeyId }),
      }),
      abortSignal === undefined ? {} : { abortSignal },
    );
  } catch (error) {
    throw new StoreAccessError(
      envelope.name,
      `cannot publish token parameter ${parameterName}: ${describeError(error)}`,
      { cause: error },
    );
  }
}
