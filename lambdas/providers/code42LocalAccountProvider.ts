import { isRecord, ProviderTypes } from '../config/index.ts';
import { basicAuthorization } from './encoding.ts';
import { code42ErrorKeys, TOTP_REQUIRED_KEY } from './errorBody.ts';
import { MfaRequiredError, ProviderRequestError } from './errors.ts';
import type { TokenProvider } from './TokenProvider.ts';

/**
 * Code42 local account (docs/vendors.md):
 * `GET {baseUrl}/api/v3/auth/jwt?useBody=true` with HTTP Basic `username:password` and, when a
 * seed is configured, the `totp-auth` header; the token is at `data.v3_user_token` and lasts
 * 30 minutes (or its `exp`). `TIME_BASED_ONE_TIME_PASSWORD_REQUIRED` is a {@link MfaRequiredError}.
 */
export const code42LocalAccountProvider: TokenProvider<typeof ProviderTypes.code42LocalAccount> = {
  type: ProviderTypes.code42LocalAccount,
  documentedLifetimeSeconds: 1800,
  async login(context) {
    const { instance, credentials } = context;
    if (credentials.username.includes(':')) {
      throw context.error(ProviderRequestError, 'the username must not contain ":" (HTTP Basic)');
    }
    const { totpSecret } = credentials;
    const response = await context.send(async () => ({
      url: `${instance.baseUrl}/api/v3/auth/jwt?useBody=true`,
      method: 'GET',
      headers: {
        Accept: 'application/json',
        Authorization: basicAuthorization(credentials.username, credentials.password),
        ...(totpSecret === undefined ? {} : { 'totp-auth': await context.totpCode(totpSecret) }),
      },
    }));
    if (response.status !== 200) {
      if (code42ErrorKeys(response.body).includes(TOTP_REQUIRED_KEY)) {
        throw context.error(
          MfaRequiredError,
          `the account requires a TOTP code (${TOTP_REQUIRED_KEY}): add "totpSecret" to its credentials`,
        );
      }
      throw context.failure(response);
    }
    const body = context.json(response);
    const data = isRecord(body) ? body.data : undefined;
    if (!isRecord(data) || typeof data.v3_user_token !== 'string') {
      throw context.malformed('the response has no "data.v3_user_token"');
    }
    return {
      token: data.v3_user_token,
      tokenType: 'Bearer',
      sentAt: response.sentAt,
      baseUrl: instance.baseUrl,
      headers: {},
    };
  },
};
