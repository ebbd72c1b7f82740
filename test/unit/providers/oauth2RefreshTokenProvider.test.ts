import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { Credentials } from '../../../lambdas/config/index.ts';
import {
  InvalidCredentialsError,
  loginInstance,
  MalformedResponseError,
  ReauthorizationRequiredError,
} from '../../../lambdas/providers/index.ts';
import {
  type FakeClientAuth,
  type FakeRotatingOAuth2Server,
  fastLoginOptions,
  refreshTokenInstance,
  startFakeRotatingOAuth2,
  testKeyPair,
} from '../../fakes/index.ts';

const SECRET = 'rt-client-s3cret:+%';

describe('Provider: oauth2-refresh-token', () => {
  let idp: FakeRotatingOAuth2Server | undefined;
  const start = async (clientAuth: FakeClientAuth = 'basic', rotate = true) => {
    idp = await startFakeRotatingOAuth2({
      client: { clientId: 'app', clientSecret: SECRET, clientAuth },
      rotate,
    });
    return idp;
  };
  afterEach(async () => {
    await idp?.close();
    idp = undefined;
  });

  describe('Method: login', () => {
    for (const clientAuth of ['basic', 'post', 'none'] as const) {
      it(`refreshes with clientAuth "${clientAuth}" and reports the rotated refresh token at once`, async () => {
        // Prepare
        const server = await start(clientAuth);
        const refreshToken = server.issueRefreshToken();
        const rotated: Credentials[] = [];
        const credentials = {
          clientId: 'app',
          refreshToken,
          ...(clientAuth === 'none' ? {} : { clientSecret: SECRET }),
        };
        // Act
        const envelope = await loginInstance(
          refreshTokenInstance(server.tokenUrl, { clientAuth, scope: 'read' }),
          credentials,
          fastLoginOptions({ onCredentialsRotated: (next) => rotated.push(next) }),
        );
        // Assess
        const form = new URLSearchParams(server.received()[0]?.body);
        assert.equal(form.get('grant_type'), 'refresh_token');
        assert.equal(form.get('refresh_token'), refreshToken);
        assert.equal(form.get('scope'), 'read');
        assert.equal(envelope.token, server.issuedTokens()[0]);
        assert.equal(envelope.provider, 'oauth2-refresh-token');
        assert.deepEqual(rotated, [
          { ...credentials, refreshToken: server.currentRefreshToken(refreshToken) },
        ]);
        assert.notEqual(server.currentRefreshToken(refreshToken), refreshToken);
      });
    }

    it('signs a client assertion with clientAuth "private_key_jwt"', async () => {
      // Prepare
      const { privateKeyPem, publicKey } = testKeyPair('rsa');
      idp = await startFakeRotatingOAuth2({
        client: { clientId: 'app', publicKey, clientAuth: 'private_key_jwt' },
      });
      const refreshToken = idp.issueRefreshToken();
      // Act
      const envelope = await loginInstance(
        refreshTokenInstance(idp.tokenUrl, { clientAuth: 'private_key_jwt' }),
        { clientId: 'app', privateKey: privateKeyPem, refreshToken },
        fastLoginOptions({ onCredentialsRotated: () => {} }),
      );
      // Assess
      assert.equal(envelope.token, idp.issuedTokens()[0]);
      assert.equal(idp.refreshes, 1);
    });

    it('reports nothing when the server keeps the refresh token', async () => {
      // Prepare
      const server = await start('basic', false);
      const refreshToken = server.issueRefreshToken();
      let rotations = 0;
      // Act
      await loginInstance(
        refreshTokenInstance(server.tokenUrl),
        { clientId: 'app', clientSecret: SECRET, refreshToken },
        fastLoginOptions({ onCredentialsRotated: () => (rotations += 1) }),
      );
      // Assess
      assert.equal(rotations, 0);
      assert.equal(server.currentRefreshToken(refreshToken), refreshToken);
    });

    it('throws ReauthorizationRequiredError on invalid_grant, once, naming the instance and the fix', async () => {
      // Prepare: a used refresh token revokes its family
      const server = await start();
      const refreshToken = server.issueRefreshToken();
      const instance = refreshTokenInstance(server.tokenUrl, {}, 'crm');
      const credentials = { clientId: 'app', clientSecret: SECRET, refreshToken };
      await loginInstance(instance, credentials, fastLoginOptions());
      // Act
      const reused = loginInstance(instance, credentials, fastLoginOptions());
      // Assess
      await assert.rejects(reused, (error: Error) => {
        assert.ok(error instanceof ReauthorizationRequiredError);
        assert.ok(error instanceof InvalidCredentialsError);
        assert.match(
          error.message,
          /^instance "crm" \(oauth2-refresh-token\): the refresh token was refused \(invalid_grant: refresh token reuse detected/,
        );
        assert.match(error.message, /token-broker authorize crm --config FILE/);
        assert.ok(!error.message.includes(refreshToken));
        return true;
      });
      assert.equal(server.requests, 2);
      assert.equal(server.revokedFamilies, 1);
    });

    it('reports a rotated refresh token even when the access token in the same answer is unusable', async () => {
      // Prepare
      const server = await start();
      const refreshToken = server.issueRefreshToken();
      server.enqueue({
        status: 200,
        body: { access_token: 'bad token\n', token_type: 'Bearer', refresh_token: 'rt-next-1' },
      });
      const rotated: Credentials[] = [];
      // Act
      const login = loginInstance(
        refreshTokenInstance(server.tokenUrl),
        { clientId: 'app', clientSecret: SECRET, refreshToken },
        fastLoginOptions({ onCredentialsRotated: (next) => rotated.push(next) }),
      );
      // Assess
      await assert.rejects(login, MalformedResponseError);
      assert.deepEqual(
        rotated.map((next) => ('refreshToken' in next ? next.refreshToken : undefined)),
        ['rt-next-1'],
      );
    });
  });
});
