import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeJwtExp } from '../../../lambdas/providers/index.ts';
import { totpCode } from '../../../lambdas/totp/index.ts';
import {
  randomTotpSeed,
  readJson,
  startFakeCode42,
  startFakeOAuth2,
  startFakeServer,
} from '../../fakes/index.ts';

const HOUR_MS = 3_600_000;

describe('Function: startFakeServer (slow body)', () => {
  it('sends the headers and first byte at once, the rest of the body slowBodyMs later', async () => {
    // Prepare
    const server = await startFakeServer(() => ({ status: 200, body: { ok: true } }));
    server.enqueue({ status: 200, body: { slow: 'body' }, slowBodyMs: 300 });
    try {
      const started = performance.now();
      // Act
      const response = await fetch(server.url);
      const headersMs = performance.now() - started;
      const body = await response.text();
      const bodyMs = performance.now() - started;
      // Assess
      assert.equal(body, '{"slow":"body"}');
      assert.ok(headersMs < 250, `headers after ${Math.round(headersMs)} ms`);
      assert.ok(bodyMs >= 290, `body after ${Math.round(bodyMs)} ms`);
    } finally {
      await server.close();
    }
  });

  it('closes at once with a slow body still pending', async () => {
    // Prepare
    const server = await startFakeServer(() => ({ status: 200, body: {} }));
    server.enqueue({ status: 200, body: { slow: 'body' }, slowBodyMs: 60_000 });
    const response = await fetch(server.url);
    const body = response.text().catch((error: unknown) => error);
    const started = performance.now();
    // Act
    await server.close();
    // Assess
    assert.ok(performance.now() - started < 1_000);
    assert.ok((await body) instanceof Error, 'the client sees the body cut off');
  });
});

describe('Function: startFakeCode42 and startFakeOAuth2 (vendor clock)', () => {
  it('checks TOTP codes on the vendor clock: a code of the vendor time is accepted, one of real time refused', async () => {
    // Prepare: a vendor whose clock runs an hour ahead
    const seed = randomTotpSeed();
    const server = await startFakeCode42({
      localAccounts: [{ username: 'admin', password: 'pw', totpSecret: seed }],
      now: () => Date.now() + HOUR_MS,
    });
    const login = (code: string) =>
      fetch(`${server.url}/api/v3/auth/jwt?useBody=true`, {
        headers: {
          Accept: 'application/json',
          Authorization: `Basic ${Buffer.from('admin:pw').toString('base64')}`,
          'totp-auth': code,
        },
      });
    try {
      // Act
      const realTime = await login(totpCode(seed));
      const vendorTime = await login(totpCode(seed, Date.now() + HOUR_MS));
      // Assess
      assert.equal(realTime.status, 401);
      assert.equal(vendorTime.status, 200);
      const body = await readJson<{ data: { v3_user_token: string } }>(vendorTime);
      const exp = decodeJwtExp(body.data.v3_user_token) ?? 0;
      assert.ok(Math.abs(exp * 1000 - (Date.now() + HOUR_MS + 1_800_000)) < 5_000);
    } finally {
      await server.close();
    }
  });

  it('issues OAuth2 tokens whose exp is counted on the vendor clock', async () => {
    // Prepare: a vendor whose clock runs an hour behind
    const server = await startFakeOAuth2({
      clientId: 'app',
      clientSecret: 's',
      clientAuth: 'post',
      expiresInSeconds: 600,
      now: () => Date.now() - HOUR_MS,
    });
    try {
      // Act
      const response = await fetch(server.tokenUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials&client_id=app&client_secret=s',
      });
      // Assess
      const body = await readJson<{ access_token: string; expires_in: number }>(response);
      assert.equal(body.expires_in, 600);
      const exp = decodeJwtExp(body.access_token) ?? 0;
      assert.ok(Math.abs(exp * 1000 - (Date.now() - HOUR_MS + 600_000)) < 5_000);
    } finally {
      await server.close();
    }
  });
});
