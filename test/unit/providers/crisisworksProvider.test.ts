import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import type { PasswordCredentials } from '../../../lambdas/config/index.ts';
import {
  decodeJwtExp,
  InsecureEndpointError,
  InvalidCredentialsError,
  LoginAbortedError,
  type LoginOptions,
  loginInstance,
  MalformedResponseError,
  ProviderRequestError,
  ProviderUnavailableError,
} from '../../../lambdas/providers/index.ts';
import type { TokenEnvelope } from '../../../lambdas/reader/contract/index.ts';
import {
  crisisworksInstance,
  type FakeCrisisworksOptions,
  type FakeProviderServer,
  fastLoginOptions,
  randomTotpSeed,
  startFakeCrisisworks,
} from '../../fakes/index.ts';

const PASSWORD = 'cw-pässword:with"quotes\\';
const SITE = 'sandbox';

function assertNoSecret(error: unknown, ...secrets: string[]): true {
  const text = `${(error as Error).name} ${(error as Error).message}`;
  for (const secret of secrets) assert.ok(!text.includes(secret), `leaked a secret: ${text}`);
  return true;
}

/** A fake Crisisworks site with the account `api` / {@link PASSWORD}. */
function startFake(options: Partial<FakeCrisisworksOptions> = {}): Promise<FakeProviderServer> {
  return startFakeCrisisworks({ site: SITE, username: 'api', password: PASSWORD, ...options });
}

/** Logs in as `api` (with {@link PASSWORD} unless given) to a fake, without backoff waits. */
function login(
  server: FakeProviderServer,
  credentials: Partial<PasswordCredentials> = {},
  options: LoginOptions = {},
): Promise<TokenEnvelope> {
  return loginInstance(
    crisisworksInstance(server.url, SITE),
    { username: 'api', password: PASSWORD, ...credentials },
    fastLoginOptions(options),
  );
}

describe('Provider: crisisworks', () => {
  let seed: string;
  let mfa: FakeProviderServer;
  let plain: FakeProviderServer;

  before(async () => {
    plain = await startFake({ jwtExp: false });
  });
  after(async () => {
    await plain.close();
  });
  beforeEach(async () => {
    seed = randomTotpSeed();
    mfa = await startFake({ totpSecret: seed });
  });
  afterEach(async () => {
    await mfa.close();
  });

  describe('Method: login', () => {
    it('posts the documented request with mfaCode and builds the envelope with X-Site', async () => {
      // Prepare
      const instance = crisisworksInstance(mfa.url, SITE);
      const count = mfa.requests;
      // Act
      const envelope = await loginInstance(
        instance,
        { username: 'api', password: PASSWORD, totpSecret: seed },
        fastLoginOptions(),
      );
      // Assess
      const request = mfa.received()[count];
      assert.equal(request?.method, 'POST');
      assert.equal(request?.url.pathname, '/api/json/auth');
      assert.equal(request?.headers.accept, 'application/json');
      assert.equal(request?.headers['content-type'], 'application/json;charset=UTF-8');
      assert.equal(request?.headers['x-site'], SITE);
      const body = JSON.parse(request?.body ?? '');
      assert.deepEqual(Object.keys(body).sort(), [
        'mfaCode',
        'name',
        'password',
        'platform',
        'username',
        'uuid',
        'version',
      ]);
      assert.equal(body.password, PASSWORD);
      assert.match(body.mfaCode, /^\d{6}$/);
      assert.equal(envelope.token, mfa.issuedTokens().at(-1));
      assert.equal(envelope.provider, 'crisisworks');
      assert.equal(envelope.name, 'cw');
      assert.equal(envelope.tokenType, 'Bearer');
      assert.equal(envelope.baseUrl, mfa.url);
      assert.deepEqual(envelope.headers, { 'X-Site': SITE });
      assert.equal(Date.parse(envelope.expiresAt), (decodeJwtExp(envelope.token) ?? 0) * 1000);
    });

    it('sends no mfaCode without a seed and uses the documented 1 h when the JWT has no exp', async () => {
      // Prepare
      const count = plain.requests;
      // Act
      const envelope = await login(plain);
      // Assess
      assert.equal(JSON.parse(plain.received()[count]?.body ?? '{}').mfaCode, undefined);
      const lifetime = Date.parse(envelope.expiresAt) - Date.parse(envelope.issuedAt);
      assert.equal(lifetime, 3_600_000);
      const refreshAfter = Date.parse(envelope.refreshAt) - Date.parse(envelope.issuedAt);
      assert.ok(refreshAfter >= 0.55 * 3_600_000 && refreshAfter < 0.75 * 3_600_000);
    });

    it('sends a fresh code when it retries a TOTP login after a 503', async () => {
      // Prepare
      mfa.enqueue({ status: 503, body: 'Service Unavailable' });
      const count = mfa.requests;
      // Act
      const envelope = await login(mfa, { totpSecret: seed });
      // Assess
      const codes = mfa
        .received()
        .slice(count)
        .map((request) => JSON.parse(request.body).mfaCode);
      assert.equal(codes.length, 2);
      assert.notEqual(codes[0], codes[1]);
      assert.equal(envelope.token, mfa.issuedTokens().at(-1));
    });

    it('throws InvalidCredentialsError with the 401 message, without retrying, on a bad password', async () => {
      // Prepare
      const count = plain.requests;
      // Act & Assess
      await assert.rejects(
        login(plain, { password: 'wrong-Pa55' }),
        (error: Error) =>
          error instanceof InvalidCredentialsError &&
          error.instance === 'cw' &&
          error.provider === 'crisisworks' &&
          error.status === 401 &&
          error.message ===
            'instance "cw" (crisisworks): the credentials were refused (HTTP 401): Invalid user, password or mfaCode' &&
          assertNoSecret(error, 'wrong-Pa55'),
      );
      assert.equal(plain.requests - count, 1);
    });

    it('throws InvalidCredentialsError when an MFA account gets no code', async () => {
      // Act & Assess
      await assert.rejects(
        login(mfa),
        (error: Error) => error instanceof InvalidCredentialsError && /mfaCode/.test(error.message),
      );
    });

    it('throws InvalidCredentialsError when the server refuses valid credentials', async () => {
      // Prepare
      plain.setMode('reject');
      try {
        // Act & Assess
        await assert.rejects(
          login(plain),
          (error: Error) =>
            error instanceof InvalidCredentialsError && assertNoSecret(error, PASSWORD),
        );
      } finally {
        plain.setMode('normal');
      }
    });

    it('throws ProviderRequestError with the 400 message for an unknown site', async () => {
      // Act & Assess
      await assert.rejects(
        loginInstance(
          crisisworksInstance(plain.url, 'other-site'),
          { username: 'api', password: PASSWORD },
          fastLoginOptions(),
        ),
        (error: Error) =>
          error instanceof ProviderRequestError &&
          error.status === 400 &&
          /HTTP 400\): Unknown site/.test(error.message),
      );
    });

    it('throws InvalidCredentialsError when HTTP 200 carries status 401 in the body', async () => {
      // Prepare
      plain.enqueue({
        status: 200,
        body: { status: 401, message: 'Invalid user, password or mfaCode' },
      });
      // Act & Assess
      await assert.rejects(login(plain), InvalidCredentialsError);
    });

    it('throws ProviderUnavailableError after 3 attempts when the site answers 503', async () => {
      // Prepare
      plain.setMode('unavailable');
      const count = plain.requests;
      try {
        // Act & Assess
        await assert.rejects(
          login(plain),
          (error: Error) =>
            error instanceof ProviderUnavailableError &&
            error.status === 503 &&
            /unavailable \(HTTP 503 after 3 attempt\(s\)\)/.test(error.message),
        );
        assert.equal(plain.requests - count, 3);
      } finally {
        plain.setMode('normal');
      }
    });

    const malformed: [string, unknown, RegExp][] = [
      ['an HTML page', '<html>maintenance</html>', /not JSON/],
      ['a JSON array', [], /not a JSON object/],
      ['no token', { status: 200, type: 'accessToken' }, /no "token"/],
      ['an empty token', { status: 200, token: '', type: 'accessToken' }, /token is empty/],
      [
        'a token with CR LF',
        { status: 200, token: 'abc\r\nX-Evil: 1', type: 'accessToken' },
        /not allowed in an HTTP header/,
      ],
      [
        'an expired JWT',
        {
          status: 200,
          token: `e30.${Buffer.from(JSON.stringify({ exp: 1_000 })).toString('base64url')}.c2ln`,
          type: 'accessToken',
        },
        /already expired/,
      ],
    ];
    for (const [what, body, message] of malformed) {
      it(`throws MalformedResponseError when the response is ${what}`, async () => {
        // Prepare
        plain.enqueue({ status: 200, body });
        // Act & Assess
        await assert.rejects(
          login(plain),
          (error: Error) => error instanceof MalformedResponseError && message.test(error.message),
        );
      });
    }

    it('throws MalformedResponseError when the response is larger than the cap', async () => {
      // Prepare
      plain.enqueue({
        status: 200,
        body: { status: 200, token: 'x'.repeat(4_000), type: 'accessToken' },
      });
      // Act & Assess
      await assert.rejects(
        login(plain, {}, { maxBodyBytes: 1_024 }),
        (error: Error) =>
          error instanceof MalformedResponseError && /larger than 1024 bytes/.test(error.message),
      );
    });

    it('throws ProviderUnavailableError when every attempt times out', async () => {
      // Prepare
      const slow = await startFake({ latencyMs: 200 });
      try {
        // Act & Assess
        await assert.rejects(
          login(slow, {}, { timeoutMs: 40, maxAttempts: 2 }),
          (error: Error) =>
            error instanceof ProviderUnavailableError &&
            /within 40 ms \(2 attempt\(s\)\)/.test(error.message),
        );
      } finally {
        await slow.close();
      }
    });

    it('throws LoginAbortedError when the caller aborts', async () => {
      // Act & Assess
      await assert.rejects(
        login(plain, {}, { signal: AbortSignal.abort(new Error('deadline')) }),
        (error: Error) => error instanceof LoginAbortedError && error.instance === 'cw',
      );
    });

    it('throws InsecureEndpointError and sends nothing to a plain-http remote host', async () => {
      // Prepare
      const instance = {
        ...crisisworksInstance(plain.url, SITE),
        baseUrl: 'http://api.cw.example.org',
      };
      // Act & Assess
      await assert.rejects(
        loginInstance(instance, { username: 'api', password: PASSWORD }, fastLoginOptions()),
        (error: Error) =>
          error instanceof InsecureEndpointError &&
          /refusing http:\/\/api\.cw\.example\.org/.test(error.message),
      );
    });

    it('throws CredentialsFormatError naming the field when the credentials have the wrong shape', async () => {
      // Act & Assess
      await assert.rejects(
        loginInstance(
          crisisworksInstance(plain.url, SITE),
          { clientId: 'x', clientSecret: PASSWORD },
          fastLoginOptions(),
        ),
        (error: Error) =>
          error.name === 'CredentialsFormatError' &&
          /instance "cw": invalid credentials: .*username/.test(error.message) &&
          assertNoSecret(error, PASSWORD),
      );
    });

    it('sends the code oathtool gives for the seed', async () => {
      // Prepare
      const count = mfa.requests;
      // Act
      await login(mfa, { totpSecret: seed });
      // Assess
      const sent = JSON.parse(mfa.received()[count]?.body ?? '{}').mfaCode;
      const oathtool = (at: string) =>
        execFileSync('/usr/bin/oathtool', ['--totp', '-b', '--now', at, seed], {
          encoding: 'utf8',
        }).trim();
      const seconds = Math.floor(Date.now() / 1000);
      const expected = [seconds, seconds - 30].map((at) => oathtool(`@${at}`));
      assert.ok(expected.includes(sent), `${sent} not in ${expected.join(', ')}`);
    });
  });
});
