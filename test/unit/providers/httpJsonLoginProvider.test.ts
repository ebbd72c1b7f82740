import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { CredentialsFormatError } from '../../../lambdas/config/index.ts';
import {
  decodeJwtExp,
  InvalidCredentialsError,
  loginInstance,
  MalformedResponseError,
  MfaRequiredError,
} from '../../../lambdas/providers/index.ts';
import {
  crisisworksInstance,
  type FakeProviderServer,
  fastLoginOptions,
  httpJsonLoginInstance,
  instantTotpGuard,
  parseBasicAuth,
  randomTotpSeed,
  startFakeCode42,
  startFakeCrisisworks,
  startFakeServer,
} from '../../fakes/index.ts';

const PASSWORD = 'hjl-pässword:"1\\';

/** Crisisworks (the built-in provider's request, to the letter) as an http-json-login config. */
function crisisworksAsConfig(baseUrl: string, withMfa = true) {
  return httpJsonLoginInstance(
    baseUrl,
    {
      request: {
        method: 'POST',
        path: '/api/json/auth',
        headers: { 'Content-Type': 'application/json;charset=UTF-8', 'X-Site': 'sandbox' },
        json: {
          version: '1',
          uuid: 'https://ops.example.org',
          platform: 'Linux',
          name: 'token-broker',
          username: '{{username}}',
          password: '{{password}}',
          ...(withMfa ? { mfaCode: '{{totp}}' } : {}),
        },
      },
      response: { token: '/token', lifetimeSeconds: 3600, errorMessage: '/message' },
      apiHeaders: { 'X-Site': 'sandbox' },
    },
    'cw-declared',
  );
}

/** The Code42 local account (GET, Basic, totp-auth) as an http-json-login config. */
function code42LocalAccountAsConfig(baseUrl: string) {
  return httpJsonLoginInstance(
    baseUrl,
    {
      request: {
        method: 'GET',
        path: '/api/v3/auth/jwt?useBody=true',
        headers: { 'totp-auth': '{{totp}}' },
        basicAuth: true,
      },
      response: { token: '/data/v3_user_token', lifetimeSeconds: 1800 },
    },
    'c42-declared',
  );
}

describe('Provider: http-json-login', () => {
  const servers: FakeProviderServer[] = [];
  const track = <T extends FakeProviderServer>(server: T): T => {
    servers.push(server);
    return server;
  };
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });
  /** A strict Crisisworks fake with the account `api`, requiring a code when given a seed. */
  const startCrisisworks = async (totpSecret?: string) =>
    track(
      await startFakeCrisisworks({
        site: 'sandbox',
        username: 'api',
        password: PASSWORD,
        ...(totpSecret === undefined ? {} : { totpSecret }),
      }),
    );

  describe('Proof: Crisisworks as configuration', () => {
    it('logs in to the strict Crisisworks fake exactly as the built-in provider does', async () => {
      // Prepare
      const seed = randomTotpSeed();
      const cw = await startCrisisworks(seed);
      const credentials = { username: 'api', password: PASSWORD, totpSecret: seed };
      const guard = instantTotpGuard();
      // Act
      const declared = await loginInstance(crisisworksAsConfig(cw.url), credentials, {
        ...fastLoginOptions(),
        totpGuard: guard,
      });
      const builtIn = await loginInstance(crisisworksInstance(cw.url, 'sandbox'), credentials, {
        ...fastLoginOptions(),
        totpGuard: guard,
      });
      // Assess
      assert.equal(cw.logins, 2);
      assert.deepEqual([declared.token, builtIn.token], cw.issuedTokens());
      const [viaConfig, viaProvider] = cw.received();
      assert.equal(viaConfig?.headers['content-type'], viaProvider?.headers['content-type']);
      assert.equal(viaConfig?.headers['x-site'], 'sandbox');
      const fields = (body: string | undefined) => Object.keys(JSON.parse(body ?? '{}')).sort();
      assert.deepEqual(fields(viaConfig?.body), fields(viaProvider?.body));
      assert.deepEqual(declared.headers, builtIn.headers);
      assert.equal(declared.provider, 'http-json-login');
      assert.equal(Date.parse(declared.expiresAt), (decodeJwtExp(declared.token) ?? 0) * 1000);
    });

    it('surfaces the 401 message at errorMessage as an InvalidCredentialsError, never the password', async () => {
      // Prepare
      const cw = await startCrisisworks();
      // Act
      const login = loginInstance(
        crisisworksAsConfig(cw.url, false),
        { username: 'api', password: 'wrong-password-hjl' },
        fastLoginOptions(),
      );
      // Assess
      await assert.rejects(login, (error: Error) => {
        assert.ok(error instanceof InvalidCredentialsError);
        assert.match(
          error.message,
          /instance "cw-declared" \(http-json-login\): the credentials were refused \(HTTP 401\): Invalid user, password or mfaCode/,
        );
        assert.ok(!error.message.includes('wrong-password-hjl'));
        return true;
      });
    });

    it('never sends a TOTP code twice: a second login waits for the next step', async () => {
      // Prepare
      const seed = randomTotpSeed();
      const cw = await startCrisisworks(seed);
      const options = fastLoginOptions();
      const credentials = { username: 'api', password: PASSWORD, totpSecret: seed };
      // Act
      await loginInstance(crisisworksAsConfig(cw.url), credentials, options);
      await loginInstance(crisisworksAsConfig(cw.url), credentials, options);
      // Assess
      const codes = cw.received().map((request) => JSON.parse(request.body).mfaCode);
      assert.equal(cw.logins, 2);
      assert.notEqual(codes[0], codes[1]);
    });
  });

  describe('Proof: Code42 local account as configuration', () => {
    it('logs in to the strict Code42 fake with GET, Basic and totp-auth', async () => {
      // Prepare
      const seed = randomTotpSeed();
      const c42 = track(
        await startFakeCode42({
          localAccounts: [{ username: 'admin', password: PASSWORD, totpSecret: seed }],
        }),
      );
      // Act
      const envelope = await loginInstance(
        code42LocalAccountAsConfig(c42.url),
        { username: 'admin', password: PASSWORD, totpSecret: seed },
        fastLoginOptions(),
      );
      // Assess
      const [request] = c42.received();
      assert.equal(request?.method, 'GET');
      assert.equal(request?.url.search, '?useBody=true');
      assert.equal(request?.body, '');
      assert.deepEqual(parseBasicAuth(request?.headers.authorization), {
        user: 'admin',
        password: PASSWORD,
      });
      assert.match(String(request?.headers['totp-auth']), /^\d{6}$/);
      assert.equal(envelope.token, c42.issuedTokens()[0]);
      assert.deepEqual(envelope.headers, {});
    });

    it('requires totpSecret in the credentials when the request uses {{totp}}', async () => {
      // Act
      const login = loginInstance(
        code42LocalAccountAsConfig('http://127.0.0.1:9'),
        { username: 'admin', password: PASSWORD },
        fastLoginOptions(),
      );
      // Assess
      await assert.rejects(login, (error: Error) => {
        assert.ok(error instanceof CredentialsFormatError);
        assert.match(
          error.message,
          /instance "c42-declared": invalid credentials: totpSecret: is required for \{\{totp\}\}/,
        );
        return true;
      });
    });

    it('is refused by the fake without a code, as the built-in provider is', async () => {
      // Prepare
      const c42 = track(
        await startFakeCode42({
          localAccounts: [{ username: 'admin', password: PASSWORD, totpSecret: randomTotpSeed() }],
        }),
      );
      const instance = code42LocalAccountAsConfig(c42.url);
      // Act
      const login = loginInstance(
        { ...instance, request: { ...instance.request, headers: {} } },
        { username: 'admin', password: PASSWORD },
        fastLoginOptions(),
      );
      // Assess: a generic vendor has no MFA-specific error key, so it is a plain refusal
      await assert.rejects(
        login,
        (error: Error) => !(error instanceof MfaRequiredError) && /HTTP 401/.test(error.message),
      );
    });
  });

  describe('Method: login', () => {
    /** A fake vendor answering every request with `body`, recording what it got. */
    const vendor = async (body: unknown, status = 200) =>
      track(await startFakeServer(() => ({ status, body })));

    it('posts a form with the client placeholders and reads expiresIn at its pointer', async () => {
      // Prepare
      const server = await vendor({ result: { access: 'tok-1', ttl: 120 } });
      const instance = httpJsonLoginInstance(server.url, {
        request: {
          path: '/oauth/login?v=2',
          headers: { 'X-Key': 'id={{clientId}}' },
          form: { id: '{{clientId}}', secret: '{{clientSecret}}', mode: 'api' },
        },
        response: { token: '/result/access', expiresIn: '/result/ttl' },
      });
      // Act
      const envelope = await loginInstance(
        instance,
        { clientId: 'c 1', clientSecret: 's&=2' },
        fastLoginOptions(),
      );
      // Assess
      const [request] = server.received();
      assert.equal(request?.method, 'POST');
      assert.equal(request?.url.pathname + request?.url.search, '/oauth/login?v=2');
      assert.equal(request?.headers['content-type'], 'application/x-www-form-urlencoded');
      assert.equal(request?.headers['x-key'], 'id=c 1');
      assert.deepEqual(Object.fromEntries(new URLSearchParams(request?.body)), {
        id: 'c 1',
        secret: 's&=2',
        mode: 'api',
      });
      assert.equal(envelope.token, 'tok-1');
      assert.equal(Date.parse(envelope.expiresAt) - Date.parse(envelope.issuedAt), 120_000);
    });

    const expiresAtCases: [string, (sentAt: number) => unknown][] = [
      ['an ISO 8601 time', (sentAt) => new Date(sentAt + 600_000).toISOString()],
      ['epoch seconds', (sentAt) => Math.floor((sentAt + 600_000) / 1000)],
      ['epoch milliseconds', (sentAt) => sentAt + 600_000],
    ];
    for (const [what, value] of expiresAtCases) {
      it(`reads expiresAt as ${what}`, async () => {
        // Prepare
        const sentAt = Date.parse('2026-11-22T09:00:00.000Z');
        const server = await vendor({ token: 'tok-2', until: value(sentAt) });
        const instance = httpJsonLoginInstance(server.url, {
          request: { path: '/login', json: { user: '{{username}}' } },
          response: { token: '/token', expiresAt: '/until' },
        });
        // Act
        const envelope = await loginInstance(
          instance,
          { username: 'u' },
          fastLoginOptions({ now: () => sentAt }),
        );
        // Assess
        assert.equal(envelope.expiresAt, '2026-11-22T09:10:00.000Z');
      });
    }

    it('falls back to lifetimeSeconds, then to 5 minutes, when the answer states no lifetime', async () => {
      // Prepare
      const server = await vendor({ token: 'opaque-token' });
      const shape = (lifetimeSeconds?: number) =>
        httpJsonLoginInstance(server.url, {
          request: { path: '/login', json: { user: '{{username}}' } },
          response: {
            token: '/token',
            ...(lifetimeSeconds === undefined ? {} : { lifetimeSeconds }),
          },
        });
      // Act
      const configured = await loginInstance(shape(900), { username: 'u' }, fastLoginOptions());
      const fallback = await loginInstance(shape(), { username: 'u' }, fastLoginOptions());
      // Assess
      const lifetime = (envelope: { issuedAt: string; expiresAt: string }) =>
        Date.parse(envelope.expiresAt) - Date.parse(envelope.issuedAt);
      assert.equal(lifetime(configured), 900_000);
      assert.equal(lifetime(fallback), 300_000);
    });

    it('throws MalformedResponseError naming the pointer when no token is there', async () => {
      // Prepare
      const server = await vendor({ data: { other: 1 } });
      const instance = httpJsonLoginInstance(server.url, {
        request: { path: '/login', json: {} },
        response: { token: '/data/token' },
      });
      // Act
      const login = loginInstance(instance, {}, fastLoginOptions());
      // Assess
      await assert.rejects(login, (error: Error) => {
        assert.ok(error instanceof MalformedResponseError);
        assert.match(error.message, /no string token at "\/data\/token"/);
        return true;
      });
    });

    it('refuses a plain http baseUrl that is not loopback when the config loads', () => {
      // Act
      const load = () =>
        httpJsonLoginInstance('http://vendor.example', {
          request: { path: '/login', json: {} },
          response: { token: '/token' },
        });
      // Assess
      assert.throws(load, /must use https/);
    });
  });
});
