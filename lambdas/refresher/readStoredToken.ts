import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { describeError } from './describeError.ts';
import { StoreAccessError } from './errors.ts';
import { hasErrorName } from './hasErrorName.ts';
import { interpretStoredValue } from './interpretStoredValue.ts';
import type { StoredToken } from './StoredToken.ts';

/**
 * Reads and validates an instance's token parameter (decrypted).
 *
 * @param ssm - the SSM client
 * @param instance - the instance's name, to check the envelope belongs to it
 * @param parameterName - `{parameterPrefix}/{name}`
 * @throws {StoreAccessError} when SSM refuses or fails (anything but "not found")
 */
export async function readStoredToken(
  ssm: SSMClient,
  instance: string,
  parameterName: string,
): Promise<StoredToken> {
  let value: string | undefined;
  try {
    const output = await ssm.send(
      new GetParameterCommand({ Name: parameterName, WithDecryption: true }),
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
  return interpretStoredValue(instance, value);
}
