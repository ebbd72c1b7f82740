import { GetParametersCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { mapWithConcurrency } from './mapWithConcurrency.ts';

/** SSM's limit of names per GetParameters call. */
const BATCH = 10;
/** GetParameters calls in flight at once. */
const CONCURRENT_BATCHES = 4;

/** One parameter as {@link readParameterBatches} read it. */
export type ParameterRead =
  /** `value` is undefined when the parameter does not exist. */
  | { readonly ok: true; readonly value: string | undefined }
  /** The error that kept its batch from being read. */
  | { readonly ok: false; readonly error: unknown };

/**
 * Reads many SSM parameters with GetParameters, ten names a call and a few calls at a time: 1,000
 * parameters cost 100 reads instead of 1,000.
 *
 * @param options.withDecryption - decrypt SecureString values
 * @returns per parameter name, its value or the error of its batch
 */
export async function readParameterBatches(
  ssm: SSMClient,
  names: readonly string[],
  options: { readonly withDecryption: boolean },
): Promise<Map<string, ParameterRead>> {
  const batches: string[][] = [];
  for (let start = 0; start < names.length; start += BATCH) {
    batches.push(names.slice(start, start + BATCH));
  }
  const read = new Map<string, ParameterRead>();
  await mapWithConcurrency(batches, CONCURRENT_BATCHES, async (batch) => {
    try {
      const output = await ssm.send(
        new GetParametersCommand({ Names: batch, WithDecryption: options.withDecryption }),
      );
      const values = new Map(
        (output.Parameters ?? []).map((parameter) => [parameter.Name, parameter.Value]),
      );
      for (const name of batch) read.set(name, { ok: true, value: values.get(name) });
    } catch (error) {
      for (const name of batch) read.set(name, { ok: false, error });
    }
  });
  return read;
}
