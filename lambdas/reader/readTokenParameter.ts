import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import type { TokenEnvelope } from './contract/envelope.ts';
import { parseTokenParameterValue } from './contract/envelope.ts';
import {
  GetTokenError,
  MalformedTokenError,
  TokenNotFoundError,
  TokenNotPublishedError,
} from './errors.ts';

/**
 * Reads and validates one instance's token envelope: one decrypted `GetParameter`, no caching.
 * Does not judge expiry.
 *
 * @param ssm - the client to read with
 * @param instance - the provider instance, such as `cw-sandbox`
 * @param parameterName - its token parameter, `{parameterPrefix}/{instance}`, or its full ARN for
 *   a parameter shared from another account (which AWS finds only by ARN)
 * @throws {TokenNotFoundError} when the parameter does not exist
 * @throws {TokenNotPublishedError} when it still holds the placeholder written at deployment
 * @throws {MalformedTokenError} when its value is not an envelope for `instance`
 * @throws {GetTokenError} when SSM fails, with the SDK's error as `cause`
 */
export async function readTokenParameter(
  ssm: SSMClient,
  instance: string,
  parameterName: string,
): Promise<TokenEnvelope> {
  let value: string | undefined;
  try {
    const output = await ssm.send(
      new GetParameterCommand({ Name: parameterName, WithDecryption: true }),
    );
    value = output.Parameter?.Value;
  } catch (error) {
    if (error instanceof Error && error.name === 'ParameterNotFound') {
      throw new TokenNotFoundError(instance, parameterName, undefined, { cause: error });
    }
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new GetTokenError(instance, parameterName, `reading SSM failed: ${detail}`, {
      cause: error,
    });
  }
  if (value === undefined)
    throw new MalformedTokenError(instance, parameterName, 'it has no value');
  const stored = parseTokenParameterValue(instance, value);
  if (stored.kind === 'pending') throw new TokenNotPublishedError(instance, parameterName);
  if (stored.kind === 'unreadable') {
    throw new MalformedTokenError(instance, parameterName, stored.reason);
  }
  return stored.envelope;
}
