import { ProviderTypes } from '../config/index.ts';
import { basicAuthorization } from './encoding.ts';
import { readAccessTokenResponse } from './oauth2TokenEndpoint.ts';
import type { TokenProvider } from './TokenProvider.ts';

/**
 * Code42 API client (docs/vendors.md):
 * `POST {baseUrl}/api/v3/oauth/token?grant_type=client_credentials` with HTTP Basic
 * `clientId:secret`; answers `{access_token, token_type: "bearer", expires_in: 900}`.
 */
export const code42ApiClientProvider: TokenProvider<typeof ProviderTypes.code42ApiClient> = {
  type: ProviderTypes.code42ApiClient,
  documentedLifetimeSeconds: 900,
  async login(context) {
    const { instance, credentials } = context;
    const response = await context.send(() => ({
      url: `${instance.baseUrl}/api/v3/oauth/token?grant_type=client_credentials`,
      method: 'POST',
      headers: {
        Accept: 'application/json',
        Authorization: basicAuthorization(credentials.clientId, credentials.clientSecret),
      },
    }));
    if (response.status !== 200) throw context.failure(response);
    return {
      ...readAccessTokenResponse(context, response),
      baseUrl: instance.baseUrl,
      headers: {},
    };
  },
};
