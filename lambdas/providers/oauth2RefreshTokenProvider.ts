import { isRecord, ProviderTypes } from '../config/index.ts';
import { MalformedResponseError, ReauthorizationRequiredError } from './errors.ts';
import { readAccessTokenResponse, requestOAuth2Token } from './oauth2TokenEndpoint.ts';
import type { TokenProvider } from './TokenProvider.ts';

/** The longest refresh token accepted from a server (the credentials schema's limit). */
const MAX_REFRESH_TOKEN_LENGTH = 8192;

/**
 * Any OAuth2 authorization server, refresh token grant (RFC 6749 §6): `POST {tokenUrl}` with
 * `grant_type=refresh_token&refresh_token=…[&scope]` and the instance's client authentication
 * (`basic`, `post`, `none` or `private_key_jwt`). A new `refresh_token` in the answer replaces the
 * stored one: it is reported (`rotateCredentials`) before anything else is read, since the server
 * has already retired the old one. `invalid_grant` is a {@link ReauthorizationRequiredError}:
 * only `token-broker authorize` helps. The lifetime is `expires_in` or the JWT `exp`; with
 * neither, 5 minutes.
 */
export const oauth2RefreshTokenProvider: TokenProvider<typeof ProviderTypes.oauth2RefreshToken> = {
  type: ProviderTypes.oauth2RefreshToken,
  documentedLifetimeSeconds: 300,
  async login(context) {
    const { instance, credentials } = context;
    const response = await requestOAuth2Token(context, {
      tokenUrl: instance.tokenUrl,
      clientAuth: instance.clientAuth,
      client: context.credentials,
      grant: {
        grant_type: 'refresh_token',
        refresh_token: credentials.refreshToken,
        ...(instance.scope === undefined ? {} : { scope: instance.scope }),
      },
      onError: (error, detail) =>
        error === 'invalid_grant'
          ? context.error(
              ReauthorizationRequiredError,
              `the refresh token was refused (${detail}): re-authorize with "token-broker authorize ${instance.name} --config FILE"`,
            )
          : undefined,
    });
    const body = context.json(response);
    const rotated = isRecord(body) ? body.refresh_token : undefined;
    if (rotated !== undefined && rotated !== null) {
      if (
        typeof rotated !== 'string' ||
        rotated === '' ||
        rotated.length > MAX_REFRESH_TOKEN_LENGTH
      ) {
        throw context.error(
          MalformedResponseError,
          'the response\'s "refresh_token" is not a usable token',
        );
      }
      if (rotated !== credentials.refreshToken)
        context.rotateCredentials({ refreshToken: rotated });
    }
    return {
      ...readAccessTokenResponse(context, response),
      ...(instance.baseUrl === undefined ? {} : { baseUrl: instance.baseUrl }),
      headers: {},
    };
  },
};
