import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import {
  decodeJwtExp,
  InvalidCredentialsError,
  loginInstance,
  MalformedResponseError,
  ProviderRequestError,
} from '../../../lambdas/providers/index.ts';
import {
  type FakeOAuth2Options,
  type FakeOAuth2Server,
  fastLoginOptions,
  oauth2Instance,
  startFakeOAuth2,
} from '../../fakes/index.ts';

/** Characters RFC 6749 §2.3.1 requires to be form-urlencoded before Basic: space, ':', '+', '%', non-ASCII. */
const CLIENT = { clientId: 'app one:2', clientSecret: 's3cr+t %20 ü:x' };

describe('Provider: oauth2-client-credentials', () => {
  let idp: FakeOAuth2Server | undefined;
  const start = async (options: Partial<FakeOAuth2Options> = {}) => {
    idp = await startFakeOAuth2({ ...CLIENT, ...options });
    return idp;
  };
  afterEach(async () => {
    await idp?.close();
    idp = undefined;
  });

  describe('Method: login', () => {
    it('authenticates with client_secret_basic, id and secret form-urlencoded before base64', async () => {
      // Prepare
      const server = await start({ clientAuth: 'basic' });
      // Act
      const envelope = await loginInstance(
        oauth2Instance(server.tokenUrl),
        CLIENT,
        fastLoginOptions(),
      );
      // Assess
      const [request] = server.received();
      const expected = Buffer.from('app+one%3A2:s3cr%2Bt+%2520+%C3%BC%3Ax').toString('base64');
      assert.equal(request?.headers.authorization, `Basic ${expected}`);
      assert.equal(request?.headers['content-type'], 'application/x-www-form-urlencoded');
      assert.deepEqual(Object.fromEntries(new URLSearchParams(request?.body)), {
        grant_type: 'client_credentials',
      });
      assert.equal(envelope.token, server.issuedTokens()[0]);
      assert.equal(envelope.tokenType, 'Bearer');
      assert.equal(envelope.baseUrl, undefined);
      assert.deepEqual(envelope.headers, {});
    });

    it('authenticates with client_secret_post and sends scope and audience', async () => {
      // Prepare
      const server = await start({
        clientAuth: 'post',
        allowedScopes: ['read', 'write'],
        audience: 'https://api.example.org',
      });
      const instance = oauth2Instance(server.tokenUrl, {
        clientAuth: 'post',
        scope: 'read write',
        audience: 'https://api.example.org',
        baseUrl: 'https://api.example.org',
      });
      // Act
      const envelope = await loginInstance(instance, CLIENT, fastLoginOptions());
      // Assess
      const [request] = server.received();
      assert.equal(request?.headers.authorization, undefined);
      assert.deepEqual(Object.fromEntries(new URLSearchParams(request?.body)), {
        grant_type: 'client_credentials',
        scope: 'read write',
        audience: 'https://api.example.org',
        client_id: CLIENT.clientId,
        client_secret: CLIENT.clientSecret,
      });
      assert.equal(envelope.baseUrl, 'https://api.example.org');
    });

    it('takes expires_in when it ends before the JWT exp', async () => {
      // Prepare
      const server = await start({ expiresInSeconds: 600, jwtLifetimeSeconds: 3600 });
      // Act
      const envelope = await loginInstance(
        oauth2Instance(server.tokenUrl),
        CLIENT,
        fastLoginOptions(),
      );
      // Assess
      assert.equal(Date.parse(envelope.expiresAt) - Date.parse(envelope.issuedAt), 600_000);
    });

    it('takes the JWT exp when it ends before expires_in', async () => {
      // Prepare
      const server = await start({ expiresInSeconds: 3600, jwtLifetimeSeconds: 120 });
      // Act
      const envelope = await loginInstance(
        oauth2Instance(server.tokenUrl),
        CLIENT,
        fastLoginOptions(),
      );
      // Assess: the JWT's exp exactly (whole seconds of the server's clock, so the lifetime from
      // when the request was sent may be a few ms over 120 s when the server stamps the next second)
      assert.equal(Date.parse(envelope.expiresAt), (decodeJwtExp(envelope.token) ?? 0) * 1000);
      const lifetime = Date.parse(envelope.expiresAt) - Date.parse(envelope.issuedAt);
      assert.ok(lifetime < 121_000 && lifetime > 118_000, `lifetime ${lifetime}`);
    });

    it('falls back to 5 minutes for an opaque token without expires_in', async () => {
      // Prepare
      const server = await start({ expiresInSeconds: null, opaqueTokens: true });
      // Act
      const envelope = await loginInstance(
        oauth2Instance(server.tokenUrl),
        CLIENT,
        fastLoginOptions(),
      );
      // Assess
      assert.match(envelope.token, /^opaque-/);
      assert.equal(Date.parse(envelope.expiresAt) - Date.parse(envelope.issuedAt), 300_000);
    });

    it('caps a ten-year expires_in at maxLifetimeSeconds and tells onNotice', async () => {
      // Prepare
      const server = await start({ expiresInSeconds: 315_360_000, opaqueTokens: true });
      const notices: string[] = [];
      const instance = { ...oauth2Instance(server.tokenUrl), maxLifetimeSeconds: 7200 };
      // Act
      const envelope = await loginInstance(
        instance,
        CLIENT,
        fastLoginOptions({ onNotice: (message) => notices.push(message) }),
      );
      // Assess
      assert.equal(Date.parse(envelope.expiresAt) - Date.parse(envelope.issuedAt), 7_200_000);
      assert.deepEqual(notices, [
        'instance "idp" (oauth2-client-credentials): the server\'s lifetime of 315360000 s is capped at maxLifetimeSeconds (7200 s)',
      ]);
    });

    for (const [given, expected] of [
      ['BEARER', 'Bearer'],
      ['DPoP', 'DPoP'],
    ] as const) {
      it(`normalises token_type ${given} to ${expected}`, async () => {
        // Prepare
        const server = await start({ tokenType: given });
        // Act
        const envelope = await loginInstance(
          oauth2Instance(server.tokenUrl),
          CLIENT,
          fastLoginOptions(),
        );
        // Assess
        assert.equal(envelope.tokenType, expected);
      });
    }

    it('throws MalformedResponseError when token_type is not an Authorization scheme', async () => {
      // Prepare
      const server = await start({ tokenType: 'Bearer\r\nX: y' });
      // Act & Assess
      await assert.rejects(
        loginInstance(oauth2Instance(server.tokenUrl), CLIENT, fastLoginOptions()),
        (error: Error) =>
          error instanceof MalformedResponseError && /token type/.test(error.message),
      );
    });

    it('throws InvalidCredentialsError with error_description on invalid_client', async () => {
      // Prepare
      const server = await start();
      // Act & Assess
      await assert.rejects(
        loginInstance(
          oauth2Instance(server.tokenUrl),
          { clientId: CLIENT.clientId, clientSecret: 'not-the-secret' },
          fastLoginOptions(),
        ),
        (error: Error) =>
          error instanceof InvalidCredentialsError &&
          error.message ===
            'instance "idp" (oauth2-client-credentials): refused: invalid_client: Client authentication failed',
      );
      assert.equal(server.requests, 1);
    });

    it('throws InvalidCredentialsError when the client authenticates with the wrong method', async () => {
      // Prepare
      const server = await start({ clientAuth: 'post' });
      // Act & Assess
      await assert.rejects(
        loginInstance(
          oauth2Instance(server.tokenUrl, { clientAuth: 'basic' }),
          CLIENT,
          fastLoginOptions(),
        ),
        InvalidCredentialsError,
      );
    });

    it('throws ProviderRequestError with the RFC 6749 error on invalid_scope', async () => {
      // Prepare
      const server = await start({ allowedScopes: ['read'] });
      // Act & Assess
      await assert.rejects(
        loginInstance(
          oauth2Instance(server.tokenUrl, { scope: 'admin' }),
          CLIENT,
          fastLoginOptions(),
        ),
        (error: Error) =>
          error instanceof ProviderRequestError &&
          error.status === 400 &&
          /HTTP 400\): invalid_scope: scope admin is not allowed$/.test(error.message),
      );
    });

    it('throws ProviderRequestError on an audience the server does not accept', async () => {
      // Prepare
      const server = await start({ audience: 'https://api.example.org' });
      // Act & Assess
      await assert.rejects(
        loginInstance(
          oauth2Instance(server.tokenUrl, { audience: 'https://other.example.org' }),
          CLIENT,
          fastLoginOptions(),
        ),
        { name: 'ProviderRequestError', message: /invalid_request/ },
      );
    });

    it('throws InvalidCredentialsError when the server refuses valid credentials', async () => {
      // Prepare
      const server = await start();
      server.setMode('reject');
      // Act & Assess
      await assert.rejects(
        loginInstance(oauth2Instance(server.tokenUrl), CLIENT, fastLoginOptions()),
        InvalidCredentialsError,
      );
    });

    it('redacts the secret when a server echoes it in error_description', async () => {
      // Prepare
      const server = await start();
      server.enqueue({
        status: 400,
        body: { error: 'invalid_request', error_description: `bad secret ${CLIENT.clientSecret}` },
      });
      // Act & Assess
      await assert.rejects(
        loginInstance(oauth2Instance(server.tokenUrl), CLIENT, fastLoginOptions()),
        (error: Error) =>
          /bad secret \[redacted\]/.test(error.message) &&
          !error.message.includes(CLIENT.clientSecret),
      );
    });

    it('redacts its Basic credentials and the form-encoded secret when a server echoes them', async () => {
      // Prepare
      const server = await start();
      const basic = Buffer.from('app+one%3A2:s3cr%2Bt+%2520+%C3%BC%3Ax').toString('base64');
      const formSecret = 's3cr%2Bt+%2520+%C3%BC%3Ax';
      server.enqueue({
        status: 400,
        body: {
          error: 'invalid_request',
          error_description: `got Authorization: Basic ${basic} and client_secret=${formSecret}`,
        },
      });
      // Act & Assess
      await assert.rejects(
        loginInstance(oauth2Instance(server.tokenUrl), CLIENT, fastLoginOptions()),
        (error: Error) =>
          /Basic \[redacted\] and client_secret=\[redacted\]/.test(error.message) &&
          !error.message.includes(basic) &&
          !error.message.includes(formSecret),
      );
    });

    it('throws ProviderRequestError for a redirect, which it does not follow', async () => {
      // Prepare
      const server = await start();
      server.enqueue({
        status: 307,
        headers: { Location: 'http://evil.example.org/token' },
        body: '',
      });
      // Act & Assess
      await assert.rejects(
        loginInstance(oauth2Instance(server.tokenUrl), CLIENT, fastLoginOptions()),
        { name: 'ProviderRequestError', message: /unexpected redirect \(HTTP 307\)/ },
      );
      assert.equal(server.requests, 1);
    });
  });
});
