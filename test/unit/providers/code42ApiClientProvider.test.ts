import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  InvalidCredentialsError,
  loginInstance,
  MalformedResponseError,
  ProviderUnavailableError,
} from '../../../lambdas/providers/index.ts';
import {
  code42ApiClientInstance,
  type FakeProviderServer,
  fastLoginOptions,
  parseBasicAuth,
  startFakeCode42,
} from '../../fakes/index.ts';

const CLIENT = { clientId: 'key-79muGw9i424', clientSecret: 'DWL-mPQ:sécret' };

describe('Provider: code42-api-client', () => {
  let c42: FakeProviderServer;
  let c42Envelope: FakeProviderServer;

  before(async () => {
    c42 = await startFakeCode42({ apiClients: [CLIENT] });
    c42Envelope = await startFakeCode42({ apiClients: [CLIENT], errorStyle: 'envelope' });
  });
  after(async () => {
    await c42.close();
    await c42Envelope.close();
  });

  describe('Method: login', () => {
    it('posts to /api/v3/oauth/token?grant_type=client_credentials with Basic and uses expires_in', async () => {
      // Prepare
      const count = c42.requests;
      // Act
      const envelope = await loginInstance(
        code42ApiClientInstance(c42.url),
        CLIENT,
        fastLoginOptions(),
      );
      // Assess
      const request = c42.received()[count];
      assert.equal(request?.method, 'POST');
      assert.equal(request?.url.pathname, '/api/v3/oauth/token');
      assert.equal(request?.url.search, '?grant_type=client_credentials');
      assert.equal(request?.headers.accept, 'application/json');
      assert.deepEqual(parseBasicAuth(request?.headers.authorization), {
        user: CLIENT.clientId,
        password: CLIENT.clientSecret,
      });
      assert.equal(envelope.token, c42.issuedTokens().at(-1));
      assert.equal(envelope.tokenType, 'Bearer');
      assert.equal(envelope.baseUrl, c42.url);
      assert.deepEqual(envelope.headers, {});
      // exp is whole seconds of the server's clock: a few ms over 15 min when it stamps the next second
      const lifetime = Date.parse(envelope.expiresAt) - Date.parse(envelope.issuedAt);
      assert.ok(lifetime < 901_000 && lifetime > 898_000, `lifetime ${lifetime}`);
    });

    it('takes expires_in when the token is not a JWT', async () => {
      // Prepare
      c42.enqueue({
        status: 200,
        body: { access_token: 'opaque-token-1', token_type: 'bearer', expires_in: 900 },
      });
      // Act
      const envelope = await loginInstance(
        code42ApiClientInstance(c42.url),
        CLIENT,
        fastLoginOptions(),
      );
      // Assess
      assert.equal(Date.parse(envelope.expiresAt) - Date.parse(envelope.issuedAt), 900_000);
      const refreshAfter = Date.parse(envelope.refreshAt) - Date.parse(envelope.issuedAt);
      assert.ok(refreshAfter >= 0.55 * 900_000 && refreshAfter < 0.75 * 900_000);
    });

    for (const [style, server] of [
      ['array', () => c42],
      ['v3 envelope', () => c42Envelope],
    ] as const) {
      it(`throws InvalidCredentialsError with the primaryErrorKey (${style} error body)`, async () => {
        // Act & Assess
        await assert.rejects(
          loginInstance(
            code42ApiClientInstance(server().url),
            { clientId: CLIENT.clientId, clientSecret: 'nope-42' },
            fastLoginOptions(),
          ),
          (error: Error) =>
            error instanceof InvalidCredentialsError &&
            error.message ===
              'instance "c42" (code42-api-client): the credentials were refused (HTTP 401): INVALID_CLIENT_CREDENTIALS' &&
            !error.message.includes('nope-42'),
        );
      });
    }

    it('throws ProviderUnavailableError when the console keeps answering 503', async () => {
      // Prepare
      c42.setMode('unavailable');
      try {
        // Act & Assess
        await assert.rejects(
          loginInstance(code42ApiClientInstance(c42.url), CLIENT, fastLoginOptions()),
          ProviderUnavailableError,
        );
      } finally {
        c42.setMode('normal');
      }
    });

    it('throws MalformedResponseError when access_token is missing', async () => {
      // Prepare
      c42.enqueue({ status: 200, body: { token_type: 'bearer', expires_in: 900 } });
      // Act & Assess
      await assert.rejects(
        loginInstance(code42ApiClientInstance(c42.url), CLIENT, fastLoginOptions()),
        { name: 'MalformedResponseError', message: /no "access_token"/ },
      );
    });

    it('throws MalformedResponseError when expires_in is not a positive number', async () => {
      // Prepare
      c42.enqueue({
        status: 200,
        body: { access_token: 'opaque', token_type: 'bearer', expires_in: -5 },
      });
      // Act & Assess
      await assert.rejects(
        loginInstance(code42ApiClientInstance(c42.url), CLIENT, fastLoginOptions()),
        (error: Error) =>
          error instanceof MalformedResponseError && /expires_in/.test(error.message),
      );
    });
  });
});
