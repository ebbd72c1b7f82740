import { ProviderTypes } from '../config/index.ts';
import { basicAuthorization } from './basicAuthorization.ts';
import { InvalidCredentialsError } from './errors.ts';
import { formUrlEncode } from './formUrlEncode.ts';
import { isRecord } from './isRecord.ts';
import { parseJsonLeniently } from './parseJsonLeniently.ts';
import { readAccessTokenResponse } from './readAccessTokenResponse.ts';
import type { TokenProvider } from './TokenProvider.ts';

/** The RFC 6749 §5.2 `error` code of an error body, when it has one. */
function oauthErrorCode(body: string): string | undefined {
  const value = parseJsonLeniently(body);
  return isRecord(value) && typeof value.error === 'string' ? value.error : undefined;
}

/**
 * Any OAuth2 authorization server, client credentials grant (RFC 6749 §4.4): `POST {tokenUrl}` with
 * a form body `grant_type=client_credentials[&scope][&audience]` and client authentication by
 * `client_secret_basic` (id and secret form-urlencoded, then Basic, §2.3.1) or `client_secret_post`.
 * `invalid_client` is an {@link InvalidCredentialsError}; other §5.2 errors are surfaced with
 * their description. The lifetime is `expires_in` or the JWT `exp`; with neither, 5 minutes.
 */
export const oauth2ClientCredentialsProvider: TokenProvider<
  typeof ProviderTypes.oauth2ClientCredentials
> = {
  type: ProviderTypes.oauth2ClientCredentials,
  documentedLifetimeSeconds: 300,
  async login(context) {
    const { instance, credentials } = context;
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (instance.scope !== undefined) form.set('scope', instance.scope);
    if (instance.audience !== undefined) form.set('audience', instance.audience);
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'Content-Type': 'application/x-www-form-urlencoded',
    };
    if (instance.clientAuth === 'post') {
      form.set('client_id', credentials.clientId);
      form.set('client_secret', credentials.clientSecret);
    } else {
      headers.Authorization = basicAuthorization(
        formUrlEncode(credentials.clientId),
        formUrlEncode(credentials.clientSecret),
      );
    }
    const response = await context.send(() => ({
      url: instance.tokenUrl,
      method: 'POST',
      headers,
      body: form.toString(),
    }));
    if (response.status !== 200) {
      if (oauthErrorCode(response.body) === 'invalid_client') {
        throw context.error(InvalidCredentialsError, `refused: ${context.serverSaid(response)}`);
      }
      throw context.failure(response);
    }
    return {
      ...readAccessTokenResponse(context, response),
      ...(instance.baseUrl === undefined ? {} : { baseUrl: instance.baseUrl }),
      headers: {},
    };
  },
};
