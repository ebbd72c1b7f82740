import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import {
  decodeJwtExp,
  InvalidCredentialsError,
  loginInstance,
  MfaRequiredError,
  ProviderRequestError,
} from '../../../lambdas/providers/index.ts';
import {
  code42LocalAccountInstance,
  type FakeProviderServer,
  fastLoginOptions,
  instantTotpGuard,
  parseBasicAuth,
  randomTotpSeed,
  startFakeCode42,
} from '../../fakes/index.ts';

/** A password with a colon and non-ASCII characters: UTF-8 before base64. */
const PASSWORD = 'p:ss wörd€-1';

describe('Provider: code42-local-account', () => {
  let seed: string;
  let c42: FakeProviderServer;
  let c42Envelope: FakeProviderServer;

  beforeEach(async () => {
    seed = randomTotpSeed();
    const localAccounts = [
      { username: 'admin@example.org', password: PASSWORD, totpSecret: seed },
      { username: 'plain@example.org', password: PASSWORD },
    ];
    c42 = await startFakeCode42({ localAccounts });
    c42Envelope = await startFakeCode42({ localAccounts, errorStyle: 'envelope', jwtExp: false });
  });
  afterEach(async () => {
    await c42.close();
    await c42Envelope.close();
  });

  describe('Method: login', () => {
    it('gets /api/v3/auth/jwt?useBody=true with Basic and totp-auth, token from data.v3_user_token', async () => {
      // Act
      const envelope = await loginInstance(
        code42LocalAccountInstance(c42.url),
        { username: 'admin@example.org', password: PASSWORD, totpSecret: seed },
        fastLoginOptions(),
      );
      // Assess
      const [request] = c42.received();
      assert.equal(request?.method, 'GET');
      assert.equal(request?.url.pathname, '/api/v3/auth/jwt');
      assert.equal(request?.url.search, '?useBody=true');
      assert.deepEqual(parseBasicAuth(request?.headers.authorization), {
        user: 'admin@example.org',
        password: PASSWORD,
      });
      assert.match(String(request?.headers['totp-auth']), /^\d{6}$/);
      assert.equal(envelope.token, c42.issuedTokens()[0]);
      assert.equal(envelope.provider, 'code42-local-account');
      assert.equal(envelope.baseUrl, c42.url);
      assert.deepEqual(envelope.headers, {});
      assert.equal(Date.parse(envelope.expiresAt), (decodeJwtExp(envelope.token) ?? 0) * 1000);
    });

    it('sends no totp-auth header without a seed and uses the documented 30 minutes without exp', async () => {
      // Act
      const envelope = await loginInstance(
        code42LocalAccountInstance(c42Envelope.url),
        { username: 'plain@example.org', password: PASSWORD },
        fastLoginOptions(),
      );
      // Assess
      assert.equal(c42Envelope.received()[0]?.headers['totp-auth'], undefined);
      assert.equal(Date.parse(envelope.expiresAt) - Date.parse(envelope.issuedAt), 1_800_000);
    });

    it('never replays a code: a second login with the same guard waits for the next step', async () => {
      // Prepare
      const options = fastLoginOptions({ totpGuard: instantTotpGuard() });
      const credentials = { username: 'admin@example.org', password: PASSWORD, totpSecret: seed };
      // Act
      await loginInstance(code42LocalAccountInstance(c42.url), credentials, options);
      await loginInstance(code42LocalAccountInstance(c42.url), credentials, options);
      // Assess
      const codes = c42.received().map((request) => request.headers['totp-auth']);
      assert.equal(c42.logins, 2);
      assert.notEqual(codes[0], codes[1]);
    });

    it('is refused by the fake when another guard replays a code of a spent step', async () => {
      // Prepare
      const credentials = { username: 'admin@example.org', password: PASSWORD, totpSecret: seed };
      await loginInstance(code42LocalAccountInstance(c42.url), credentials, fastLoginOptions());
      // Act & Assess
      await assert.rejects(
        loginInstance(code42LocalAccountInstance(c42.url), credentials, fastLoginOptions()),
        (error: Error) =>
          error instanceof InvalidCredentialsError &&
          /TIME_BASED_ONE_TIME_PASSWORD_INVALID/.test(error.message),
      );
    });

    for (const style of ['array', 'envelope'] as const) {
      it(`throws MfaRequiredError on TIME_BASED_ONE_TIME_PASSWORD_REQUIRED (${style} body)`, async () => {
        // Prepare
        const server = style === 'array' ? c42 : c42Envelope;
        // Act & Assess
        await assert.rejects(
          loginInstance(
            code42LocalAccountInstance(server.url),
            { username: 'admin@example.org', password: PASSWORD },
            fastLoginOptions(),
          ),
          (error: Error) =>
            error instanceof MfaRequiredError &&
            error.instance === 'c42-admin' &&
            /TIME_BASED_ONE_TIME_PASSWORD_REQUIRED.*add "totpSecret"/.test(error.message),
        );
      });
    }

    it('throws InvalidCredentialsError naming the key on a wrong password, without retrying', async () => {
      // Act & Assess
      await assert.rejects(
        loginInstance(
          code42LocalAccountInstance(c42.url),
          { username: 'plain@example.org', password: 'wrong:pässword' },
          fastLoginOptions(),
        ),
        (error: Error) =>
          error instanceof InvalidCredentialsError &&
          /HTTP 401\): INVALID_USERNAME_OR_PASSWORD$/.test(error.message) &&
          !error.message.includes('wrong:pässword'),
      );
      assert.equal(c42.requests, 1);
    });

    it('throws InvalidCredentialsError without detail when the 401 body is not JSON', async () => {
      // Prepare
      c42.enqueue({ status: 401, headers: { 'Content-Type': 'text/html' }, body: '<h1>401</h1>' });
      // Act & Assess
      await assert.rejects(
        loginInstance(
          code42LocalAccountInstance(c42.url),
          { username: 'plain@example.org', password: PASSWORD },
          fastLoginOptions(),
        ),
        {
          name: 'InvalidCredentialsError',
          message:
            'instance "c42-admin" (code42-local-account): the credentials were refused (HTTP 401)',
        },
      );
    });

    it('throws MalformedResponseError when data.v3_user_token is missing', async () => {
      // Prepare
      c42.enqueue({ status: 200, body: { data: {}, error: null, warnings: null } });
      // Act & Assess
      await assert.rejects(
        loginInstance(
          code42LocalAccountInstance(c42.url),
          { username: 'plain@example.org', password: PASSWORD },
          fastLoginOptions(),
        ),
        { name: 'MalformedResponseError', message: /no "data.v3_user_token"/ },
      );
    });

    it('throws ProviderRequestError and sends nothing when the username contains a colon', async () => {
      // Act & Assess
      await assert.rejects(
        loginInstance(
          code42LocalAccountInstance(c42.url),
          { username: 'ad:min', password: PASSWORD },
          fastLoginOptions(),
        ),
        (error: Error) =>
          error instanceof ProviderRequestError && /must not contain ":"/.test(error.message),
      );
      assert.equal(c42.requests, 0);
    });
  });
});
