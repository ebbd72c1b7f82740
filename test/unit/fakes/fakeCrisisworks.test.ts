import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { totpCode } from '../../../lambdas/totp/index.ts';
import {
  type FakeProviderServer,
  randomTotpSeed,
  readJson,
  startFakeCrisisworks,
} from '../../fakes/index.ts';

const HEADERS = {
  Accept: 'application/json',
  'Content-Type': 'application/json;charset=UTF-8',
  'X-Site': 'sandbox',
};
const BODY = {
  version: '1',
  uuid: 'https://ops.example.org',
  platform: 'Linux',
  name: 'tb',
  username: 'api',
  password: 'pw',
};

describe('Fake: Crisisworks', () => {
  const seed = randomTotpSeed();
  let server: FakeProviderServer;
  const post = (
    body: unknown,
    headers: Record<string, string> = HEADERS,
    path = '/api/json/auth',
  ) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      headers,
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  before(async () => {
    server = await startFakeCrisisworks({
      site: 'sandbox',
      username: 'api',
      password: 'pw',
      totpSecret: seed,
      tokenLifetimeSeconds: 120,
    });
  });
  after(async () => {
    await server.close();
  });

  it('listens on 127.0.0.1', () => {
    // Act & Assess
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('accepts the documented request once per code and rejects the replayed code', async () => {
    // Prepare
    const body = { ...BODY, mfaCode: totpCode(seed) };
    // Act
    const first = await post(body);
    const replay = await post(body);
    // Assess
    const accepted = await readJson<{ status: number; token: string; type: string }>(first);
    assert.equal(first.status, 200);
    assert.deepEqual(Object.keys(accepted).sort(), ['status', 'token', 'type']);
    assert.equal(accepted.status, 200);
    assert.equal(accepted.type, 'accessToken');
    assert.deepEqual(server.issuedTokens(), [accepted.token]);
    const payload = JSON.parse(
      Buffer.from(accepted.token.split('.')[1] ?? '', 'base64url').toString(),
    );
    assert.equal(payload.exp - payload.iat, 120);
    assert.equal(replay.status, 401);
    assert.deepEqual(await readJson<unknown>(replay), {
      status: 401,
      message: 'Invalid user, password or mfaCode',
    });
    assert.equal(server.logins, 1);
  });

  const rejected: [string, () => Promise<Response>, number, string][] = [
    ['a wrong path', () => post(BODY, HEADERS, '/api/json/login'), 404, 'Not found'],
    [
      'a GET',
      () => fetch(`${server.url}/api/json/auth`, { headers: HEADERS }),
      405,
      'Method not allowed',
    ],
    [
      'no Accept',
      () => post(BODY, { ...HEADERS, Accept: 'text/html' }),
      400,
      'Accept must be application/json',
    ],
    [
      'a Content-Type without charset',
      () => post(BODY, { ...HEADERS, 'Content-Type': 'application/json' }),
      400,
      'Content-Type must be application/json;charset=UTF-8',
    ],
    ['another X-Site', () => post(BODY, { ...HEADERS, 'X-Site': 'other' }), 400, 'Unknown site'],
    ['a body that is not JSON', () => post('username=api'), 400, 'Body is not JSON'],
    ['a missing field', () => post({ ...BODY, uuid: undefined }), 400, 'Missing field uuid'],
    ['an unknown field', () => post({ ...BODY, otp: '1' }), 400, 'Unknown field otp'],
    ['no mfaCode', () => post(BODY), 401, 'Invalid user, password or mfaCode'],
    [
      'a wrong mfaCode',
      () => post({ ...BODY, mfaCode: '000000x' }),
      401,
      'Invalid user, password or mfaCode',
    ],
    [
      'a wrong password',
      () => post({ ...BODY, password: 'PW', mfaCode: totpCode(seed) }),
      401,
      'Invalid user, password or mfaCode',
    ],
  ];
  for (const [what, send, status, message] of rejected) {
    it(`answers ${status} "${message}" to ${what}`, async () => {
      // Act
      const response = await send();
      // Assess
      assert.equal(response.status, status);
      assert.deepEqual(await readJson<unknown>(response), { status, message });
    });
  }

  it('answers 503 to everything when unavailable', async () => {
    // Prepare
    server.setMode('unavailable');
    // Act
    const response = await post(BODY);
    server.setMode('normal');
    // Assess
    assert.equal(response.status, 503);
  });

  it('counts every request', () => {
    // Act & Assess
    assert.equal(server.requests, server.received().length);
    assert.ok(server.requests > 10);
  });

  it('answers the authenticated ping only with a token it issued and the site header', async () => {
    // Prepare
    const token = server.issuedTokens().at(-1);
    assert.ok(token !== undefined, 'an earlier test logged in');
    const ping = (headers: Record<string, string>) =>
      fetch(`${server.url}/api/json/ping`, { headers }).then((response) => response.status);
    // Act
    const statuses = await Promise.all([
      ping({ Authorization: `Bearer ${token}`, 'X-Site': 'sandbox' }),
      ping({ Authorization: 'Bearer not-issued', 'X-Site': 'sandbox' }),
      ping({ Authorization: `Bearer ${token}` }),
    ]);
    // Assess
    assert.deepEqual(statuses, [200, 401, 400]);
  });
});
