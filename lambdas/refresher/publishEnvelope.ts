import { PutParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import type { TokenEnvelope } from '../envelope/index.ts';
import { describeError } from './describeError.ts';
import { StoreAccessError } from './errors.ts';

/**
 * Publishes a complete envelope with one PutParameter (SecureString, Overwrite,
 * Intelligent-Tiering, the KMS key when given): a reader sees the old token or the new one.
 *
 * @param kmsKeyId - KMS key id, alias or ARN; default: the account's `aws/ssm` key
 * @throws {StoreAccessError} naming the instance and the SDK error (never the value)
 */
export async function publishEnvelope(
  ssm: SSMClient,
  parameterName: string,
  envelope: TokenEnvelope,
  kmsKeyId?: string,
): Promise<void> {
  try {
    await ssm.send(
      new PutParameterCommand({
        Name: parameterName,
        Value: JSON.stringify(envelope),
        Type: 'SecureString',
        Overwrite: true,
        Tier: 'Intelligent-Tiering',
        ...(kmsKeyId === undefined ? {} : { KeyId: kmsKeyId }),
      }),
    );
  } catch (error) {
    throw new StoreAccessError(
      envelope.name,
      `cannot publish token parameter ${parameterName}: ${describeError(error)}`,
      { cause: error },
    );
  }
}
