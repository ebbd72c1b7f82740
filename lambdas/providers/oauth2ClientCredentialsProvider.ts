import { ProviderTypes } from '../config/index.ts';
import { readAccessTokenResponse, requestOAuth2Token } from './oauth2TokenEndpoint.ts';
import type { TokenProvider } from './TokenProvider.ts';

/**
 * Any OAuth2 authorization server, client credentials grant (RFC 6749 §4.4): `POST {tokenUrl}` with
 * a form body `grant_type=client_credentials[&scope][&audience]` and client authentication by
 * `client_secret_basic` (id and secret form-urlencoded, then Basic, §2.3.1), `client_secret_post`
 * or `private_key_jwt` (RFC 7523). `invalid_client` is an {@link InvalidCredentialsError}; other
 * §5.2 errors are surfaced with their description. The lifetime is `expires_in` or the JWT `exp`;
 * with neither, 5 minutes.
 */
export const oauth2ClientCredentialsProvider: TokenProvider<
  typeof ProviderTypes.oauth2ClientCredentials
> = {
  type: ProviderTypes.oauth2ClientCredentials,
  documentedLifetimeSeconds: 300,
  async login(context) {
    const { instance } = context;
    const response = await requestOAuth2Token(context, {
      tokenUrl: instance.tokenUrl,
      clientAuth: instance.clientAuth,
      client: context.credentials,
      grant: {
        grant_type: 'client_credentials',
        ...(instance.scope === undefined ? {} : { scope: instance.scope }),
        ...(instance.audience === undefined ? {} : { audience: instance.audience }),
      },
    });
    return {
      ...readAccessTokenResponse(context, response),
      ...(instance.baseUrl === undefined ? {} : { baseUrl: instance.baseUrl }),
      headers: {},
    };
  },
};
