import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { RefreshEvent } from '../../../lambdas/reader/contract/refreshEvent.ts';
import {
  TokenDestinationError,
  TokenExpiredError,
  TokenReader,
  type TokenReaderOptions,
  TokenRefreshError,
} from '../../../lambdas/reader/index.ts';
import { useMoto } from '../../support/moto.ts';
import { type FakeApi, startFakeApi } from './fakeApi.ts';
import { type FakeRefresher, startFakeRefresher } from './fakeRefresher.ts';
import { countSends, makeEnvelope, publish, TEST_PREFIX } from './fixtures.ts';

describe('Class: TokenReader', () => {
  let ssm: SSMClient;
  let api: FakeApi;
  let refresher: FakeRefresher;
  let lambda: LambdaClient;
  /** What the fake refresher does on its next invokes. */
  let onRefresh: (event: RefreshEvent) => Promise<void>;

  const readerWith = (
    options: Omit<TokenReaderOptions, 'parameterPrefix' | 'parameterArnPrefix'> = {},
  ) =>
    new TokenReader({
      parameterPrefix: TEST_PREFIX,
      ssmClient: ssm,
      refresherFunctionName: 'token-broker-refresher',
      lambdaClient: lambda,
      ...options,
    });

  /** Publishes a new token for `name` and makes the API accept only it: what a login does. */
  const rotate = async (name: string, token: string) => {
    await publish(ssm, name, makeEnvelope(name, { token, baseUrl: api.url }));
    api.accept(token);
  };

  useMoto({ resetEach: true });
  after(async () => {
    await refresher.close();
  });
  before(async () => {
    refresher = await startFakeRefresher((event) => onRefresh(event), 50);
  });
  beforeEach(async () => {
    ssm = new SSMClient({});
    lambda = new LambdaClient({ endpoint: refresher.url });
    api = await startFakeApi();
    onRefresh = async (event) => {
      for (const name of event.names ?? []) await rotate(name, `renewed-${name}`);
    };
  });
  afterEach(async () => {
    await api.close();
    ssm.destroy();
    lambda.destroy();
    (refresher.events as RefreshEvent[]).length = 0;
  });

  describe('Method: fetchWithToken', () => {
    it('resolves a relative URL against baseUrl and sends the token and extra headers', async () => {
      // Prepare
      await rotate('cw', 'first');
      const reader = readerWith();
      // Act
      const response = await reader.fetchWithToken('cw', '/api/json/item/id/1', {
        headers: { Accept: 'application/json', Authorization: 'Bearer caller' },
      });
      // Assess
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { path: '/api/json/item/id/1' });
      const [request] = api.requests;
      assert.equal(request?.headers.authorization, 'Bearer first');
      assert.equal(request?.headers['x-site'], 'sandbox');
      assert.equal(request?.headers.accept, 'application/json');
    });

    it('refuses an absolute URL on another origin without sending the token', async () => {
      // Prepare
      await rotate('cw', 'first');
      const reader = readerWith();
      // Act & Assess
      await assert.rejects(
        reader.fetchWithToken('cw', 'https://elsewhere.example.org/x'),
        /refusing to send it to https:\/\/elsewhere\.example\.org/,
      );
      assert.equal(api.requests.length, 0);
    });

    for (const redirect of [undefined, 'follow', 'manual'] as const) {
      it(`returns a cross-origin redirect unfollowed (init.redirect ${redirect}): no header reaches the other host`, async () => {
        // Prepare
        await rotate('cw', 'first');
        const other = await startFakeApi();
        other.accept('first');
        api.redirectTo(`${other.url}/landing`);
        // Act
        const response = await readerWith().fetchWithToken('cw', '/x', {
          headers: { 'X-Caller': 'mine' },
          ...(redirect === undefined ? {} : { redirect }),
        });
        // Assess
        await other.close();
        assert.equal(response.status, 307);
        assert.equal(response.headers.get('location'), `${other.url}/landing`);
        assert.equal(api.requests.length, 1);
        assert.deepEqual(other.requests, []);
      });
    }

    it("throws on a redirect when the caller asks for redirect: 'error'", async () => {
      // Prepare
      await rotate('cw', 'first');
      api.redirectTo('/elsewhere');
      // Act & Assess
      await assert.rejects(
        readerWith().fetchWithToken('cw', '/x', { redirect: 'error' }),
        TypeError,
      );
      assert.equal(api.requests.length, 1);
    });

    it('sends a token without baseUrl only to allowedOrigins', async () => {
      // Prepare
      await publish(ssm, 'idp', makeEnvelope('idp', { token: 'idp-token', baseUrl: undefined }));
      api.accept('idp-token');
      const other = await startFakeApi();
      const reader = readerWith({ allowedOrigins: [api.url] });
      // Act
      const allowed = await reader.fetchWithToken('idp', `${api.url}/ok`);
      const refused = reader.fetchWithToken('idp', `${other.url}/no`);
      // Assess
      assert.equal(allowed.status, 200);
      await assert.rejects(refused, TokenDestinationError);
      await other.close();
      assert.deepEqual(other.requests, []);
    });

    it('refuses plain http to a host that is not loopback, sending nothing', async () => {
      // Prepare
      await publish(ssm, 'idp', makeEnvelope('idp', { baseUrl: undefined }));
      // Act & Assess
      await assert.rejects(
        readerWith().fetchWithToken('idp', 'http://api.example.org/x'),
        /refusing to send token "idp" to http:\/\/api\.example\.org: https only/,
      );
    });

    it('invokes the refresher for the instance, re-reads and retries once when the API answers 401', async () => {
      // Prepare
      await rotate('cw', 'first');
      const reader = readerWith();
      await reader.getToken('cw');
      api.accept('revoked-by-the-server');
      // Act
      const response = await reader.fetchWithToken('cw', '/api/json/item/id/2', {
        method: 'POST',
        body: '{"a":1}',
      });
      // Assess
      assert.equal(response.status, 200);
      assert.deepEqual(refresher.events, [{ names: ['cw'], force: true, onDemand: true }]);
      assert.deepEqual(refresher.functionNames.at(-1), 'token-broker-refresher');
      assert.deepEqual(
        api.requests.map((request) => [request.headers.authorization, request.body]),
        [
          ['Bearer first', '{"a":1}'],
          ['Bearer renewed-cw', '{"a":1}'],
        ],
      );
      assert.equal((await reader.getToken('cw')).token, 'renewed-cw');
    });

    it('returns the second 401 as is when the retry is refused too', async () => {
      // Prepare
      await rotate('cw', 'first');
      onRefresh = async () => {};
      api.accept('nothing-we-have');
      const reader = readerWith();
      // Act
      const response = await reader.fetchWithToken('cw', '/x');
      // Assess
      assert.equal(response.status, 401);
      assert.equal(api.requests.length, 2);
      assert.equal(refresher.events.length, 1);
    });

    it('invokes the refresher once and reads SSM once when concurrent calls for one instance get 401', async () => {
      // Prepare
      await rotate('cw', 'first');
      const sends = countSends(ssm);
      const reader = readerWith();
      await reader.getToken('cw');
      api.accept('revoked-by-the-server');
      // Act
      const responses = await Promise.all(
        Array.from({ length: 10 }, () => reader.fetchWithToken('cw', '/x')),
      );
      // Assess
      assert.deepEqual(new Set(responses.map((response) => response.status)), new Set([200]));
      assert.equal(refresher.events.length, 1);
      assert.equal(sends.count('GetParameterCommand'), 2);
    });

    it('does not invoke the refresher again within the cooldown, and does after it', async (t) => {
      // Prepare
      t.mock.timers.enable({ apis: ['Date'], now: Date.now() });
      await rotate('cw', 'first');
      const reader = readerWith({ refreshCooldownSeconds: 30 });
      api.accept('revoked-1');
      await reader.fetchWithToken('cw', '/x');
      api.accept('revoked-2');
      // Act
      t.mock.timers.tick(29_000);
      const insideCooldown = await reader.fetchWithToken('cw', '/x');
      const eventsInside = refresher.events.length;
      t.mock.timers.tick(1_000);
      const afterCooldown = await reader.fetchWithToken('cw', '/x');
      // Assess
      assert.equal(insideCooldown.status, 401);
      assert.equal(eventsInside, 1);
      assert.equal(afterCooldown.status, 200);
      assert.equal(refresher.events.length, 2);
    });

    it('throws TokenRefreshError with the refresher reason when the refresher fails', async () => {
      // Prepare
      await rotate('cw', 'first');
      onRefresh = async () => {
        throw new Error('1 of 1 instance(s) failed: cw: invalid credentials');
      };
      api.accept('revoked');
      const reader = readerWith();
      // Act & Assess
      await assert.rejects(reader.fetchWithToken('cw', '/x'), (error: unknown) => {
        assert.ok(error instanceof TokenRefreshError);
        assert.equal(error.instance, 'cw');
        assert.match(error.message, /Error: 1 of 1 instance\(s\) failed: cw: invalid credentials/);
        return true;
      });
    });

    it('re-reads and retries without invoking anything when no refresher is configured', async () => {
      // Prepare
      await rotate('cw', 'first');
      const sends = countSends(ssm);
      const reader = new TokenReader({ parameterPrefix: TEST_PREFIX, ssmClient: ssm });
      await reader.getToken('cw');
      await rotate('cw', 'published-by-the-schedule');
      // Act
      const response = await reader.fetchWithToken('cw', '/x');
      // Assess
      assert.equal(response.status, 200);
      assert.equal(refresher.events.length, 0);
      assert.equal(sends.count('GetParameterCommand'), 2);
    });

    /** Stores a token for `cw` that expired a second ago. */
    const publishExpired = (fields: { baseUrl?: string } = {}) => {
      const past = (ms: number) => new Date(Date.now() - ms).toISOString();
      const times = { issuedAt: past(7200_000), refreshAt: past(7200_000), expiresAt: past(1000) };
      return publish(ssm, 'cw', makeEnvelope('cw', { ...times, ...fields }));
    };

    it('asks the refresher first when the stored token has expired', async () => {
      // Prepare
      await publishExpired({ baseUrl: api.url });
      // Act
      const response = await readerWith().fetchWithToken('cw', '/x');
      // Assess
      assert.equal(response.status, 200);
      assert.equal(refresher.events.length, 1);
    });

    it('throws TokenExpiredError when the stored token has expired and no refresher is configured', async () => {
      // Prepare
      await publishExpired();
      const reader = new TokenReader({ parameterPrefix: TEST_PREFIX, ssmClient: ssm });
      // Act & Assess
      await assert.rejects(reader.fetchWithToken('cw', '/x'), TokenExpiredError);
      assert.equal(api.requests.length, 0);
    });
  });

  describe('Method: authorizationHeaders', () => {
    it('returns Authorization and the envelope extra headers', async () => {
      // Prepare
      await rotate('cw', 'first');
      // Act
      const headers = await readerWith().authorizationHeaders('cw');
      // Assess
      assert.deepEqual(headers, { 'X-Site': 'sandbox', Authorization: 'Bearer first' });
    });
  });
});
