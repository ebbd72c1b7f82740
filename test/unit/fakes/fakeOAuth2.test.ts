import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type FakeOAuth2Server, readJson, startFakeOAuth2 } from '../../fakes/index.ts';

const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };

describe('Fake: OAuth2 token endpoint', () => {
  let server: FakeOAuth2Server;
  const post = (body: string, headers: Record<string, string> = FORM) =>
    fetch(server.tokenUrl, { method: 'POST', headers, body });
  const basic = (id: string, secret: string) =>
    `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

  before(async () => {
    server = await startFakeOAuth2({ clientId: 'app', clientSecret: 's:1', expiresInSeconds: 600 });
  });
  after(async () => {
    await server.close();
  });

  it('answers RFC 6749 §5.1 with no-store caching to client_secret_basic', async () => {
    // Act
    const response = await post('grant_type=client_credentials', {
      ...FORM,
      Authorization: basic('app', 's:1'),
    });
    // Assess
    const body = await readJson<Record<string, unknown>>(response);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.equal(body.token_type, 'bearer');
    assert.equal(body.expires_in, 600);
    assert.equal(body.access_token, server.issuedTokens().at(-1));
  });

  const errors: [string, () => Promise<Response>, number, string][] = [
    [
      'no client authentication',
      () => post('grant_type=client_credentials'),
      401,
      'invalid_client',
    ],
    [
      'two client authentication methods',
      () =>
        post('grant_type=client_credentials&client_id=app&client_secret=s%3A1', {
          ...FORM,
          Authorization: basic('app', 's:1'),
        }),
      401,
      'invalid_client',
    ],
    [
      'client_secret_post when basic is required',
      () => post('grant_type=client_credentials&client_id=app&client_secret=s%3A1'),
      401,
      'invalid_client',
    ],
    [
      'a missing grant_type',
      () => post('', { ...FORM, Authorization: basic('app', 's:1') }),
      400,
      'invalid_request',
    ],
    [
      'another grant type',
      () => post('grant_type=password', { ...FORM, Authorization: basic('app', 's:1') }),
      400,
      'unsupported_grant_type',
    ],
    [
      'a JSON body',
      () =>
        post('{"grant_type":"client_credentials"}', {
          'Content-Type': 'application/json',
          Authorization: basic('app', 's:1'),
        }),
      400,
      'invalid_request',
    ],
  ];
  for (const [what, send, status, error] of errors) {
    it(`answers ${status} ${error} to ${what}`, async () => {
      // Act
      const response = await send();
      // Assess
      const body = await readJson<Record<string, unknown>>(response);
      assert.equal(response.status, status);
      assert.equal(body.error, error);
      assert.equal(typeof body.error_description, 'string');
    });
  }

  it('challenges with WWW-Authenticate when Basic credentials are wrong', async () => {
    // Act
    const response = await post('grant_type=client_credentials', {
      ...FORM,
      Authorization: basic('app', 'wrong'),
    });
    // Assess
    assert.equal(response.status, 401);
    assert.match(response.headers.get('www-authenticate') ?? '', /^Basic/);
  });
});
