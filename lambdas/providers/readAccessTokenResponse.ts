import type { ProviderType } from '../config/index.ts';
import type { HttpResponse } from '../http/index.ts';
import { isRecord } from './isRecord.ts';
import type { LoginContext, ProviderLogin } from './TokenProvider.ts';

/**
 * Reads a successful OAuth2 access token response (RFC 6749 §5.1: `access_token`, `token_type`,
 * `expires_in`), as Code42's API-client endpoint and any OAuth2 server send it.
 *
 * @throws {MalformedResponseError} when the body is not JSON or has no `access_token`
 */
export function readAccessTokenResponse<T extends ProviderType>(
  context: LoginContext<T>,
  response: HttpResponse,
): Pick<ProviderLogin, 'token' | 'tokenType' | 'expiresIn' | 'sentAt'> {
  const body = context.json(response);
  if (!isRecord(body) || typeof body.access_token !== 'string') {
    throw context.malformed('the response has no "access_token"');
  }
  return {
    token: body.access_token,
    tokenType: body.token_type,
    expiresIn: body.expires_in,
    sentAt: response.sentAt,
  };
}
