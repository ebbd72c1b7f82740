import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { totpCode } from '../../../lambdas/totp/index.ts';
import {
  type FakeProviderServer,
  randomTotpSeed,
  readJson,
  startFakeCode42,
} from '../../fakes/index.ts';

/** The fields of a Code42 error the tests read. */
interface Code42Error {
  readonly primaryErrorKey: string;
}

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}

describe('Fake: Code42', () => {
  const seed = randomTotpSeed();
  let server: FakeProviderServer;

  before(async () => {
    server = await startFakeCode42({
      apiClients: [{ clientId: 'key-1', clientSecret: 'DWL-mPQ' }],
      localAccounts: [{ username: 'admin', password: 'a:b ü', totpSecret: seed }],
    });
  });
  after(async () => {
    await server.close();
  });

  describe('Resource: /api/v3/oauth/token', () => {
    const token = (init: RequestInit, query = '?grant_type=client_credentials') =>
      fetch(`${server.url}/api/v3/oauth/token${query}`, init);

    it('answers the documented token response to the documented curl request', async () => {
      // Act
      const response = await token({
        method: 'POST',
        headers: { Accept: 'application/json', Authorization: basic('key-1', 'DWL-mPQ') },
      });
      // Assess
      const body = await readJson<Record<string, unknown>>(response);
      assert.equal(response.status, 200);
      assert.deepEqual(Object.keys(body).sort(), ['access_token', 'expires_in', 'token_type']);
      assert.equal(body.token_type, 'bearer');
      assert.equal(body.expires_in, 900);
    });

    it('answers 401 INVALID_CLIENT_CREDENTIALS in the primaryErrorKey shape to a wrong secret', async () => {
      // Act
      const response = await token({
        method: 'POST',
        headers: { Accept: 'application/json', Authorization: basic('key-1', 'nope') },
      });
      // Assess
      const [error] = await readJson<Record<string, unknown>[]>(response);
      assert.equal(response.status, 401);
      assert.equal(error?.primaryErrorKey, 'INVALID_CLIENT_CREDENTIALS');
      assert.deepEqual(Object.keys(error ?? {}).sort(), [
        'description',
        'exceptionClass',
        'objects',
        'otherErrorKeys',
        'primaryErrorKey',
      ]);
    });

    it('refuses a GET and a missing grant_type', async () => {
      // Act
      const get = await token({ headers: { Authorization: basic('key-1', 'DWL-mPQ') } });
      const noGrant = await token(
        { method: 'POST', headers: { Authorization: basic('key-1', 'DWL-mPQ') } },
        '',
      );
      // Assess
      assert.equal(get.status, 405);
      assert.equal(noGrant.status, 400);
    });
  });

  describe('Resource: /api/v3/auth/jwt', () => {
    const jwt = (headers: Record<string, string>, query = '?useBody=true') =>
      fetch(`${server.url}/api/v3/auth/jwt${query}`, { headers });

    it('answers TIME_BASED_ONE_TIME_PASSWORD_REQUIRED without totp-auth', async () => {
      // Act
      const response = await jwt({ Authorization: basic('admin', 'a:b ü') });
      // Assess
      assert.equal(response.status, 401);
      assert.equal(
        (await readJson<Code42Error[]>(response))[0]?.primaryErrorKey,
        'TIME_BASED_ONE_TIME_PASSWORD_REQUIRED',
      );
    });

    it('answers data.v3_user_token to a UTF-8 Basic password with a colon and the code, once', async () => {
      // Prepare
      const headers = { Authorization: basic('admin', 'a:b ü'), 'totp-auth': totpCode(seed) };
      // Act
      const first = await jwt(headers);
      const replay = await jwt(headers);
      // Assess
      const body = await readJson<{ data: { v3_user_token: string }; error: null; warnings: null }>(
        first,
      );
      assert.equal(first.status, 200);
      assert.equal(body.error, null);
      assert.equal(body.warnings, null);
      assert.equal(body.data.v3_user_token, server.issuedTokens().at(-1));
      assert.equal(replay.status, 401);
      assert.equal(
        (await readJson<Code42Error[]>(replay))[0]?.primaryErrorKey,
        'TIME_BASED_ONE_TIME_PASSWORD_INVALID',
      );
    });

    it('answers 401 INVALID_USERNAME_OR_PASSWORD to a password encoded as Latin-1', async () => {
      // Prepare
      const latin1 = `Basic ${Buffer.from('admin:a:b ü', 'latin1').toString('base64')}`;
      // Act
      const response = await jwt({ Authorization: latin1 });
      // Assess
      assert.equal(response.status, 401);
      assert.equal(
        (await readJson<Code42Error[]>(response))[0]?.primaryErrorKey,
        'INVALID_USERNAME_OR_PASSWORD',
      );
    });

    it('puts the token in a cookie, not the body, without useBody=true', async () => {
      // Prepare
      const seedless = await startFakeCode42({ localAccounts: [{ username: 'u', password: 'p' }] });
      try {
        // Act
        const response = await fetch(`${seedless.url}/api/v3/auth/jwt`, {
          headers: { Authorization: basic('u', 'p') },
        });
        // Assess
        assert.equal(response.status, 200);
        assert.match(response.headers.get('set-cookie') ?? '', /^C42_JWT_API_TOKEN=/);
        assert.equal((await readJson<{ data: unknown }>(response)).data, null);
      } finally {
        await seedless.close();
      }
    });
  });
});
