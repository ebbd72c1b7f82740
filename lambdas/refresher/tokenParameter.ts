import {
  GetParameterCommand,
  GetParametersCommand,
  PutParameterCommand,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import type { BrokerConfig, InstanceConfig } from '../config/index.ts';
import {
  isSharedInstance,
  type ReaderFields,
  type TokenParameterTier,
  TokenParameterTiers,
  tokenParameterTier,
} from '../config/readers.ts';
import {
  parseTokenParameterValue,
  sharedTokenKeyAlias,
  type TokenEnvelope,
  tokenParameterName,
} from '../reader/contract/index.ts';
import { createRefresherClients } from './createRefresherClients.ts';
import { describeError, hasErrorName, StoreAccessError } from './errors.ts';
import { mapWithConcurrency } from './mapWithConcurrency.ts';

/**
 * What the token parameter of one instance holds: `missing` (no parameter, or the pending value
 * `pulumi up` writes before the first publish), `unreadable` (a value that is not a valid envelope
 * for the instance) or `present` (a valid envelope, possibly expired).
 */
export type StoredToken =
  | { readonly kind: 'missing' }
  | { readonly kind: 'unreadable'; readonly reason: string }
  | { readonly kind: 'present'; readonly envelope: TokenEnvelope };

/** What is stored for one instance, without the token itself. */
export interface TokenMetadata {
  readonly name: string;
  readonly provider: InstanceConfig['type'];
  readonly kind: StoredToken['kind'];
  readonly issuedAt?: string;
  readonly expiresAt?: string;
  readonly refreshAt?: string;
  /** Why the value is unreadable. */
  readonly reason?: string;
}

/** SSM's limit of names per GetParameters call. */
const BATCH = 10;
/** GetParameters calls in flight at once. */
const CONCURRENT_BATCHES = 4;

/**
 * Reads many instances' token parameters with GetParameters (ten names a call, decrypted, a few
 * calls at a time): a run over 1,000 instances costs 100 reads instead of 1,000.
 *
 * @returns per instance name, what is stored, or the {@link StoreAccessError} that kept its batch
 * from being read
 */
export async function readStoredTokens(
  ssm: SSMClient,
  parameterPrefix: string,
  instances: readonly InstanceConfig[],
): Promise<Map<string, StoredToken | StoreAccessError>> {
  const batches: InstanceConfig[][] = [];
  for (let start = 0; start < instances.length; start += BATCH) {
    batches.push(instances.slice(start, start + BATCH));
  }
  const stored = new Map<string, StoredToken | StoreAccessError>();
  await mapWithConcurrency(batches, CONCURRENT_BATCHES, async (batch) => {
    const names = batch.map((instance) => tokenParameterName(parameterPrefix, instance.name));
    try {
      const output = await ssm.send(
        new GetParametersCommand({ Names: names, WithDecryption: true }),
      );
      const values = new Map(
        (output.Parameters ?? []).map((parameter) => [parameter.Name, parameter.Value]),
      );
      batch.forEach((instance, index) => {
        stored.set(instance.name, classify(instance.name, values.get(names[index] ?? '')));
      });
    } catch (error) {
      batch.forEach((instance, index) => {
        const detail = `cannot read token parameter ${names[index]}: ${describeError(error)}`;
        stored.set(instance.name, new StoreAccessError(instance.name, detail, { cause: error }));
      });
    }
  });
  return stored;
}

/**
 * Reads and classifies one instance's token parameter (decrypted).
 *
 * @param options.abortSignal - aborts the call (a deadline)
 * @throws {StoreAccessError} when SSM refuses or fails (anything but "not found")
 */
export async function readStoredToken(
  ssm: SSMClient,
  parameterPrefix: string,
  instance: string,
  options: { readonly abortSignal?: AbortSignal } = {},
): Promise<StoredToken> {
  const parameterName = tokenParameterName(parameterPrefix, instance);
  let value: string | undefined;
  try {
    const output = await ssm.send(
      new GetParameterCommand({ Name: parameterName, WithDecryption: true }),
      options,
    );
    value = output.Parameter?.Value;
  } catch (error) {
    if (hasErrorName(error, 'ParameterNotFound')) return { kind: 'missing' };
    throw new StoreAccessError(
      instance,
      `cannot read token parameter ${parameterName}: ${describeError(error)}`,
      { cause: error },
    );
  }
  return classify(instance, value);
}

/**
 * Reads every configured instance's token parameter and returns its metadata in configuration
 * order. The token never leaves this function.
 *
 * @param options.ssm - default: the refresher's SSM client (adaptive retries, paced)
 * @throws {StoreAccessError} when SSM refuses or fails to read a parameter
 *
 * @example
 * for (const row of await readTokenMetadata(config)) console.log(row.name, row.kind, row.expiresAt);
 */
export async function readTokenMetadata(
  config: BrokerConfig,
  options: { readonly ssm?: SSMClient } = {},
): Promise<TokenMetadata[]> {
  const ssm = options.ssm ?? createRefresherClients().ssm;
  const stored = await readStoredTokens(ssm, config.parameterPrefix, config.instances);
  return config.instances.map((instance) => {
    const base = { name: instance.name, provider: instance.type };
    const value = stored.get(instance.name);
    if (value === undefined || value instanceof Error) {
      throw value ?? new Error(`instance "${instance.name}": not read`);
    }
    if (value.kind === 'missing') return { ...base, kind: value.kind };
    if (value.kind === 'unreadable') return { ...base, kind: value.kind, reason: value.reason };
    const { issuedAt, expiresAt, refreshAt } = value.envelope;
    return { ...base, kind: value.kind, issuedAt, expiresAt, refreshAt };
  });
}

/** A parameter's value as a {@link StoredToken}: no value and the pending placeholder are missing. */
function classify(instance: string, value: string | undefined): StoredToken {
  if (value === undefined) return { kind: 'missing' };
  const stored = parseTokenParameterValue(instance, value);
  return stored.kind === 'pending' ? { kind: 'missing' } : stored;
}

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
