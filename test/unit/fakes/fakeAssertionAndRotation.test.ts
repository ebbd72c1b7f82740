import assert from 'node:assert/strict';
import { createHash, createPrivateKey } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { SignJWT } from 'jose';
import {
  type FakeOAuth2Server,
  type FakeRotatingOAuth2Server,
  readJson,
  startFakeOAuth2,
  startFakeRotatingOAuth2,
  testKeyPair,
} from '../../fakes/index.ts';

const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };

describe('Fake: private_key_jwt token endpoint', () => {
  const keys = testKeyPair('ec');
  let server: FakeOAuth2Server;
  const assertion = (claims: { aud?: string; exp?: number; jti?: string }) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({})
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer('app')
      .setSubject('app')
      .setAudience(claims.aud ?? server.tokenUrl)
      .setExpirationTime(claims.exp ?? now + 60)
      .setJti(claims.jti ?? crypto.randomUUID())
      .sign(createPrivateKey(keys.privateKeyPem));
  };
  const post = async (jwt: string) => {
    const response = await fetch(server.tokenUrl, {
      method: 'POST',
      headers: FORM,
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: jwt,
      }),
    });
    return { status: response.status, body: await readJson<Record<string, string>>(response) };
  };

  before(async () => {
    server = await startFakeOAuth2({
      clientId: 'app',
      publicKey: keys.publicKey,
      clientAuth: 'private_key_jwt',
    });
  });
  after(async () => {
    await server.close();
  });

  it('accepts a good assertion once and refuses its jti the second time', async () => {
    // Prepare
    const jwt = await assertion({});
    // Act
    const first = await post(jwt);
    const replay = await post(jwt);
    // Assess
    assert.equal(first.status, 200);
    assert.equal(replay.status, 401);
    assert.match(replay.body.error_description ?? '', /already used \(jti\)/);
  });

  const refusals: [string, () => Promise<string>, RegExp][] = [
    ['another audience', () => assertion({ aud: 'https://elsewhere.example/token' }), /aud/],
    [
      'an expired assertion',
      () => assertion({ exp: Math.floor(Date.now() / 1000) - 5 }),
      /expired/,
    ],
    [
      'an exp more than 5 minutes ahead',
      () => assertion({ exp: Math.floor(Date.now() / 1000) + 900 }),
      /too far/,
    ],
    [
      'a signature by another key',
      async () => {
        const other = testKeyPair('ec');
        return new SignJWT({})
          .setProtectedHeader({ alg: 'ES256' })
          .setIssuer('app')
          .setSubject('app')
          .setAudience(server.tokenUrl)
          .setExpirationTime('1m')
          .setJti(crypto.randomUUID())
          .sign(createPrivateKey(other.privateKeyPem));
      },
      /bad signature/,
    ],
  ];
  for (const [what, make, message] of refusals) {
    it(`refuses ${what} as invalid_client`, async () => {
      // Act
      const { status, body } = await post(await make());
      // Assess
      assert.equal(status, 401);
      assert.equal(body.error, 'invalid_client');
      assert.match(body.error_description ?? '', message);
    });
  }
});

describe('Fake: rotating refresh tokens and the authorization code flow', () => {
  let server: FakeRotatingOAuth2Server;
  const refresh = async (refreshToken: string) => {
    const response = await fetch(server.tokenUrl, {
      method: 'POST',
      headers: FORM,
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        client_id: 'app',
      }),
    });
    return { status: response.status, body: await readJson<Record<string, string>>(response) };
  };

  before(async () => {
    server = await startFakeRotatingOAuth2({ client: { clientId: 'app', clientAuth: 'none' } });
  });
  after(async () => {
    await server.close();
  });

  it('rotates on every use and revokes the whole family when a retired token comes back', async () => {
    // Prepare
    const first = server.issueRefreshToken();
    // Act
    const one = await refresh(first);
    const second = one.body.refresh_token ?? '';
    const reuse = await refresh(first);
    const afterRevocation = await refresh(second);
    // Assess
    assert.equal(one.status, 200);
    assert.notEqual(second, first);
    assert.equal(reuse.body.error, 'invalid_grant');
    assert.match(reuse.body.error_description ?? '', /reuse detected/);
    assert.equal(afterRevocation.body.error, 'invalid_grant');
    assert.equal(server.currentRefreshToken(first), undefined);
    assert.equal(server.revokedFamilies, 1);
  });

  it('issues a code for a PKCE S256 request and exchanges it once for the matching verifier', async () => {
    // Prepare
    const verifier = 'v'.repeat(50);
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const redirectUri = 'http://127.0.0.1:1234/callback';
    const url = new URL(server.authorizeUrl);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: 'app',
      redirect_uri: redirectUri,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state: 'st-1',
    }).toString();
    // Act
    const authorized = await fetch(url, { redirect: 'manual' });
    const location = new URL(authorized.headers.get('location') ?? '');
    const exchange = (codeVerifier: string) =>
      fetch(server.tokenUrl, {
        method: 'POST',
        headers: FORM,
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code: location.searchParams.get('code') ?? '',
          redirect_uri: redirectUri,
          code_verifier: codeVerifier,
          client_id: 'app',
        }),
      });
    const wrong = await exchange('w'.repeat(50));
    // Assess
    assert.equal(authorized.status, 302);
    assert.equal(location.searchParams.get('state'), 'st-1');
    assert.equal(wrong.status, 400);
    assert.equal(
      (await exchange(verifier)).status,
      400,
      'a code is single-use, even after a failed exchange',
    );
  });
});
