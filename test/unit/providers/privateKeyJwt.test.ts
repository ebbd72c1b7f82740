import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { InvalidCredentialsError, loginInstance } from '../../../lambdas/providers/index.ts';
import {
  type FakeOAuth2Server,
  fastLoginOptions,
  oauth2Instance,
  startFakeOAuth2,
  testKeyPair,
} from '../../fakes/index.ts';

function claimsOf(assertion: string): Record<string, unknown> {
  const [header = '', payload = ''] = assertion.split('.');
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString('utf8')),
    ...JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')),
  };
}

describe('Client authentication: private_key_jwt (RFC 7523)', () => {
  let idp: FakeOAuth2Server | undefined;
  afterEach(async () => {
    await idp?.close();
    idp = undefined;
  });

  for (const kind of ['rsa', 'ec'] as const) {
    it(`signs a fresh ${kind === 'rsa' ? 'RS256' : 'ES256'} assertion that the server verifies with the public key`, async () => {
      // Prepare
      const { privateKeyPem, publicKey } = testKeyPair(kind);
      idp = await startFakeOAuth2({
        clientId: 'app',
        publicKey,
        keyId: 'key-7',
        clientAuth: 'private_key_jwt',
      });
      const instance = oauth2Instance(idp.tokenUrl, { clientAuth: 'private_key_jwt' });
      const credentials = { clientId: 'app', privateKey: privateKeyPem, keyId: 'key-7' };
      // Act
      const first = await loginInstance(instance, credentials, fastLoginOptions());
      const second = await loginInstance(instance, credentials, fastLoginOptions());
      // Assess
      assert.equal(idp.logins, 2);
      assert.deepEqual([first.token, second.token], idp.issuedTokens());
      const [one, two] = idp.received().map((request) => new URLSearchParams(request.body));
      assert.equal(
        one?.get('client_assertion_type'),
        'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      );
      assert.equal(one?.get('client_secret'), null);
      assert.equal(idp.received()[0]?.headers.authorization, undefined);
      const claims = claimsOf(one?.get('client_assertion') ?? '');
      const now = Date.now() / 1000;
      assert.deepEqual(claims.header, {
        alg: kind === 'rsa' ? 'RS256' : 'ES256',
        typ: 'JWT',
        kid: 'key-7',
      });
      assert.equal(claims.iss, 'app');
      assert.equal(claims.sub, 'app');
      assert.equal(claims.aud, idp.tokenUrl);
      assert.ok((claims.exp as number) > now && (claims.exp as number) <= now + 300);
      assert.notEqual(claims.jti, claimsOf(two?.get('client_assertion') ?? '').jti);
    });
  }

  it('leaves kid out of the header when no keyId is given', async () => {
    // Prepare
    const { privateKeyPem, publicKey } = testKeyPair('ec');
    idp = await startFakeOAuth2({ clientId: 'app', publicKey, clientAuth: 'private_key_jwt' });
    // Act
    await loginInstance(
      oauth2Instance(idp.tokenUrl, { clientAuth: 'private_key_jwt' }),
      { clientId: 'app', privateKey: privateKeyPem },
      fastLoginOptions(),
    );
    // Assess
    const form = new URLSearchParams(idp.received()[0]?.body);
    assert.deepEqual(claimsOf(form.get('client_assertion') ?? '').header, {
      alg: 'ES256',
      typ: 'JWT',
    });
  });

  it('is refused as invalid_client when signed with another key, never quoting the key', async () => {
    // Prepare
    const registered = testKeyPair('rsa');
    const other = testKeyPair('rsa');
    idp = await startFakeOAuth2({
      clientId: 'app',
      publicKey: registered.publicKey,
      clientAuth: 'private_key_jwt',
    });
    // Act
    const login = loginInstance(
      oauth2Instance(idp.tokenUrl, { clientAuth: 'private_key_jwt' }),
      { clientId: 'app', privateKey: other.privateKeyPem },
      fastLoginOptions(),
    );
    // Assess
    await assert.rejects(login, (error: Error) => {
      assert.ok(error instanceof InvalidCredentialsError);
      assert.match(error.message, /instance "idp".*invalid_client.*bad signature/);
      assert.ok(!error.message.includes('PRIVATE KEY'));
      return true;
    });
  });

  it('sends a new jti on a retried attempt, which the server accepts', async () => {
    // Prepare
    const { privateKeyPem, publicKey } = testKeyPair('ec');
    idp = await startFakeOAuth2({ clientId: 'app', publicKey, clientAuth: 'private_key_jwt' });
    idp.enqueue({ status: 503, body: 'busy' });
    // Act
    const envelope = await loginInstance(
      oauth2Instance(idp.tokenUrl, { clientAuth: 'private_key_jwt' }),
      { clientId: 'app', privateKey: privateKeyPem },
      fastLoginOptions(),
    );
    // Assess
    const jtis = idp
      .received()
      .map(
        (request) => claimsOf(new URLSearchParams(request.body).get('client_assertion') ?? '').jti,
      );
    assert.equal(jtis.length, 2);
    assert.notEqual(jtis[0], jtis[1]);
    assert.equal(envelope.token, idp.issuedTokens()[0]);
  });
});
