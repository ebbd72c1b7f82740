import type { SSMClient } from '@aws-sdk/client-ssm';
import type { InstanceConfig } from '../config/index.ts';
import { tokenParameterName } from '../envelope/index.ts';
import { describeError } from './describeError.ts';
import { StoreAccessError } from './errors.ts';
import { interpretStoredValue } from './interpretStoredValue.ts';
import { readParameterBatches } from './readParameterBatches.ts';
import type { StoredToken } from './StoredToken.ts';

/**
 * Reads many instances' token parameters with GetParameters (ten names a call, decrypted): a
 * run over 1,000 instances costs 100 reads instead of 1,000.
 *
 * @returns per instance name, what is stored, or the {@link StoreAccessError} that kept its batch
 * from being read
 */
export async function readStoredTokens(
  ssm: SSMClient,
  parameterPrefix: string,
  instances: readonly InstanceConfig[],
): Promise<Map<string, StoredToken | StoreAccessError>> {
  const names = instances.map((instance) => tokenParameterName(parameterPrefix, instance.name));
  const read = await readParameterBatches(ssm, names, { withDecryption: true });
  const stored = new Map<string, StoredToken | StoreAccessError>();
  instances.forEach((instance, index) => {
    const name = names[index] ?? '';
    const parameter = read.get(name) ?? { ok: true, value: undefined };
    if (parameter.ok) {
      stored.set(instance.name, interpretStoredValue(instance.name, parameter.value));
    } else {
      const detail = `cannot read token parameter ${name}: ${describeError(parameter.error)}`;
      stored.set(
        instance.name,
        new StoreAccessError(instance.name, detail, { cause: parameter.error }),
      );
    }
  });
  return stored;
}
