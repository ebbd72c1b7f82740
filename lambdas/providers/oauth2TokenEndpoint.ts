import {
  isRecord,
  type OAuth2ClientCredentials,
  type ProviderType,
  signingKeyOf,
} from '../config/index.ts';
import type { HttpResponse } from '../http/index.ts';
import { JWT_BEARER_ASSERTION_TYPE, signClientAssertion } from './clientAssertion.ts';
import { basicAuthorization, formUrlEncode } from './encoding.ts';
import { oauthErrorCode } from './errorBody.ts';
import { InvalidCredentialsError, ProviderRequestError } from './errors.ts';
import type { LoginContext, ProviderLogin } from './TokenProvider.ts';

/**
 * An OAuth2 token endpoint, as the OAuth2 providers and Code42's API client talk to it: the token
 * request with its client authentication (RFC 6749 §3.2) and the access token response (§5.1).
 */

/** The provider types that talk to an OAuth2 token endpoint. */
type OAuth2Type = 'oauth2-client-credentials' | 'oauth2-refresh-token';

/** What a token request needs besides the context. */
export interface OAuth2TokenRequest {
  readonly tokenUrl: string;
  readonly clientAuth: 'basic' | 'post' | 'none' | 'private_key_jwt';
  readonly client: OAuth2ClientCredentials;
  /** The grant's form parameters (`grant_type` and its own). */
  readonly grant: Readonly<Record<string, string>>;
  /**
   * The error for an RFC 6749 §5.2 `error` code this grant gives its own meaning (such as
   * `invalid_grant` for a refresh token), or `undefined` for the shared handling.
   */
  readonly onError?: (error: string, detail: string) => Error | undefined;
}

/**
 * Posts a grant to the instance's token endpoint (RFC 6749 §3.2) with its client authentication:
 * `basic` (client_secret_basic: id and secret form-urlencoded, then Basic, §2.3.1), `post`
 * (client_secret_post), `none` (a public client: `client_id` only) or `private_key_jwt` (a JWT
 * assertion signed with the private key, RFC 7523, freshly signed for every attempt). A §5.2
 * error is surfaced with its description; `invalid_client` is an {@link InvalidCredentialsError}.
 *
 * @returns the 200 response (read it with `readAccessTokenResponse`)
 */
export async function requestOAuth2Token<T extends OAuth2Type>(
  context: LoginContext<T>,
  request: OAuth2TokenRequest,
): Promise<HttpResponse> {
  const { tokenUrl, clientAuth, client: credentials } = request;
  const signingKey =
    clientAuth === 'private_key_jwt' ? signingKeyOf(credentials.privateKey ?? '') : undefined;
  if (clientAuth === 'private_key_jwt' && signingKey === undefined) {
    throw context.error(ProviderRequestError, 'the credentials have no usable "privateKey"');
  }
  const response = await context.send(async () => {
    const form = new URLSearchParams(request.grant);
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'Content-Type': 'application/x-www-form-urlencoded',
    };
    if (clientAuth === 'basic') {
      headers.Authorization = basicAuthorization(
        formUrlEncode(credentials.clientId),
        formUrlEncode(credentials.clientSecret ?? ''),
      );
    } else {
      form.set('client_id', credentials.clientId);
      if (clientAuth === 'post') form.set('client_secret', credentials.clientSecret ?? '');
      if (signingKey !== undefined) {
        form.set('client_assertion_type', JWT_BEARER_ASSERTION_TYPE);
        form.set(
          'client_assertion',
          await signClientAssertion(signingKey, {
            clientId: credentials.clientId,
            audience: tokenUrl,
            nowMs: context.now(),
            keyId: credentials.keyId,
          }),
        );
      }
    }
    return { url: tokenUrl, method: 'POST', headers, body: form.toString() };
  });
  if (response.status === 200) return response;
  const error = oauthErrorCode(response.body);
  if (error === undefined) throw context.failure(response);
  // What the server said: its known error fields, shortened, every form of a secret redacted.
  const detail = context.serverSaid(response) ?? error;
  const own = request.onError?.(error, detail);
  if (own !== undefined) throw own;
  if (error === 'invalid_client') {
    throw context.error(InvalidCredentialsError, `refused: ${detail}`);
  }
  throw context.failure(response);
}

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
