import { GetParametersCommand, type SSMClient } from '@aws-sdk/client-ssm';
import type { InstanceConfig } from '../config/index.ts';
import { tokenParameterName } from '../envelope/index.ts';
import { describeError } from './describeError.ts';
import { StoreAccessError } from './errors.ts';
import { interpretStoredValue } from './interpretStoredValue.ts';
import { mapWithConcurrency } from './mapWithConcurrency.ts';
import type { StoredToken } from './StoredToken.ts';

/** SSM's limit of names per GetParameters call. */
const BATCH = 10;
/** GetParameters calls in flight at once. */
const CONCURRENT_BATCHES = 4;

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
        stored.set(instance.name, interpretStoredValue(instance.name, values.get(names[index])));
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
