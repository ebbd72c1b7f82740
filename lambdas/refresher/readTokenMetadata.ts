import { GetParametersCommand, type SSMClient } from '@aws-sdk/client-ssm';
import type { BrokerConfig, InstanceConfig } from '../config/index.ts';
import { tokenParameterName } from '../envelope/index.ts';
import { createRefresherClients } from './createRefresherClients.ts';
import { interpretStoredValue } from './interpretStoredValue.ts';

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

/** SSM's limit of names per GetParameters call. */
const BATCH = 10;

/**
 * Reads every configured instance's token parameter (GetParameters, ten names a call, decrypted)
 * and returns its metadata in configuration order. The token never leaves this function.
 *
 * @param options.ssm - default: the refresher's SSM client (adaptive retries)
 *
 * @example
 * for (const row of await readTokenMetadata(config)) console.log(row.name, row.kind, row.expiresAt);
 */
export async function readTokenMetadata(
  config: BrokerConfig,
  options: { readonly ssm?: SSMClient } = {},
): Promise<TokenMetadata[]> {
  const ssm = options.ssm ?? createRefresherClients().ssm;
  const values = new Map<string, string | undefined>();
  for (let start = 0; start < config.instances.length; start += BATCH) {
    const names = config.instances
      .slice(start, start + BATCH)
      .map((instance) => tokenParameterName(config.parameterPrefix, instance.name));
    const output = await ssm.send(new GetParametersCommand({ Names: names, WithDecryption: true }));
    for (const parameter of output.Parameters ?? []) {
      if (parameter.Name !== undefined) values.set(parameter.Name, parameter.Value);
    }
  }
  return config.instances.map((instance) => {
    const base = { name: instance.name, provider: instance.type };
    const stored = interpretStoredValue(
      instance.name,
      values.get(tokenParameterName(config.parameterPrefix, instance.name)),
    );
    if (stored.kind === 'missing') return { ...base, kind: stored.kind };
    if (stored.kind === 'unreadable') return { ...base, kind: stored.kind, reason: stored.reason };
    const { issuedAt, expiresAt, refreshAt } = stored.envelope;
    return { ...base, kind: stored.kind, issuedAt, expiresAt, refreshAt };
  });
}
