import type { SSMClient } from '@aws-sdk/client-ssm';
import type { BrokerConfig, InstanceConfig } from '../config/index.ts';
import { createRefresherClients } from './createRefresherClients.ts';
import { readStoredTokens } from './readStoredTokens.ts';

/** What is stored for one instance, without the token itself. */
export interface TokenMetadata {
  readonly name: string;
  readonly provider: InstanceConfig['type'];
  /** `missing`, `unreadable` or `present` (a valid envelope, possibly expired). */
  readonly kind: 'missing' | 'unreadable' | 'present';
  readonly issuedAt?: string;
  readonly expiresAt?: string;
  readonly refreshAt?: string;
  /** Why the value is unreadable. */
  readonly reason?: string;
}

/**
 * Reads every configured instance's token parameter (GetParameters, ten names a call, decrypted)
 * and returns its metadata in configuration order. The token never leaves this function.
 *
 * @param options.ssm - default: the refresher's SSM client (adaptive retries)
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
