import { PutParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { type TokenEnvelope, tokenParameterName } from '../envelope/index.ts';
import { describeError, StoreAccessError } from './errors.ts';

/**
 * Publishes a complete envelope with one PutParameter (SecureString, Overwrite,
 * Intelligent-Tiering, the KMS key when given): a reader sees the old token or the new one.
 *
 * @param options.kmsKeyId - KMS key id, alias or ARN; default: the account's `aws/ssm` key
 * @param options.abortSignal - aborts the call (a deadline)
 * @throws {StoreAccessError} naming the instance and the SDK error (never the value)
 */
export async function publishEnvelope(
  ssm: SSMClient,
  parameterPrefix: string,
  envelope: TokenEnvelope,
  options: { readonly kmsKeyId?: string | undefined; readonly abortSignal?: AbortSignal } = {},
): Promise<void> {
  const parameterName = tokenParameterName(parameterPrefix, envelope.name);
  const { kmsKeyId, abortSignal } = options;
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
