import { isRecord, ProviderTypes } from '../config/index.ts';
import type { TokenProvider } from './TokenProvider.ts';

/**
 * Crisisworks (docs/vendors.md): `POST {baseUrl}/api/json/auth` with
 * `X-Site` and a JSON body of the client fields, username, password and, when a seed is
 * configured, `mfaCode`; answers `{status: 200, token, type: "accessToken"}`. Tokens are JWTs of
 * a documented 1 h lifetime; every API call needs `X-Site`, so the envelope carries it.
 */
export const crisisworksProvider: TokenProvider<typeof ProviderTypes.crisisworks> = {
  type: ProviderTypes.crisisworks,
  documentedLifetimeSeconds: 3600,
  async login(context) {
    const { instance, credentials } = context;
    const response = await context.send(async () => ({
      url: `${instance.baseUrl}/api/json/auth`,
      method: 'POST',
      headers: {
        Accept: 'application/json',
        'Content-Type': 'application/json;charset=UTF-8',
        'X-Site': instance.site,
      },
      body: JSON.stringify({
        version: instance.client.version,
        uuid: instance.client.uuid,
        platform: instance.client.platform,
        name: instance.client.name,
        username: credentials.username,
        password: credentials.password,
        ...(credentials.totpSecret === undefined
          ? {}
          : { mfaCode: await context.totpCode(credentials.totpSecret) }),
      }),
    }));
    if (response.status !== 200) throw context.failure(response);
    const body = context.json(response);
    if (!isRecord(body)) throw context.malformed('the response is not a JSON object');
    if (typeof body.status === 'number' && body.status !== 200) {
      throw context.failure({ ...response, status: body.status });
    }
    if (typeof body.token !== 'string') throw context.malformed('the response has no "token"');
    return {
      token: body.token,
      tokenType: 'Bearer',
      sentAt: response.sentAt,
      baseUrl: instance.baseUrl,
      headers: { 'X-Site': instance.site },
    };
  },
};
