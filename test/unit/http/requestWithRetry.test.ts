import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  HttpNetworkError,
  type HttpOptions,
  HttpTimeoutError,
  InsecureUrlError,
  ResponseTooLargeError,
  requestWithRetry,
} from '../../../lambdas/http/index.ts';
import { type FakeProviderServer, startFakeServer } from '../../fakes/index.ts';

describe('Function: requestWithRetry', () => {
  let server: FakeProviderServer;
  let sleeps: number[];
  let options: HttpOptions;
  const get = () => ({ url: `${server.url}/thing`, method: 'GET' as const, headers: {} });

  before(async () => {
    server = await startFakeServer(() => ({ status: 200, body: { ok: true } }));
  });
  after(async () => {
    await server.close();
  });
  beforeEach(() => {
    sleeps = [];
    options = {
      random: () => 1,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    };
    server.setMode('normal');
  });

  it('returns the response, its body, when it was sent and the attempt', async () => {
    // Prepare
    const before = Date.now();
    // Act
    const response = await requestWithRetry(get, options);
    // Assess
    assert.equal(response.status, 200);
    assert.deepEqual(JSON.parse(response.body), { ok: true });
    assert.equal(response.attempt, 1);
    assert.ok(response.sentAt >= before && response.sentAt <= Date.now());
  });

  it('sends the method, headers and body it was given', async () => {
    // Prepare
    const count = server.requests;
    // Act
    await requestWithRetry(
      () => ({ url: `${server.url}/p?q=1`, method: 'POST', headers: { 'X-A': 'b' }, body: 'x=1' }),
      options,
    );
    // Assess
    const request = server.received()[count];
    assert.equal(request?.method, 'POST');
    assert.equal(request?.url.search, '?q=1');
    assert.equal(request?.headers['x-a'], 'b');
    assert.equal(request?.body, 'x=1');
  });

  it('retries a 5xx with exponential backoff and returns the success', async () => {
    // Prepare
    server.enqueue({ status: 503, body: 'busy' }, { status: 502, body: 'bad gateway' });
    // Act
    const response = await requestWithRetry(get, { ...options, maxAttempts: 3 });
    // Assess
    assert.equal(response.status, 200);
    assert.equal(response.attempt, 3);
    assert.deepEqual(sleeps, [500, 1000]);
  });

  it('returns the last 5xx when the attempts run out', async () => {
    // Prepare
    server.setMode('unavailable');
    const count = server.requests;
    // Act
    const response = await requestWithRetry(get, { ...options, maxAttempts: 4 });
    // Assess
    assert.equal(response.status, 503);
    assert.equal(server.requests - count, 4);
    assert.equal(sleeps.length, 3);
  });

  it('honours Retry-After in seconds on a 429', async () => {
    // Prepare
    server.enqueue({ status: 429, headers: { 'Retry-After': '4' }, body: '' });
    // Act
    const response = await requestWithRetry(get, options);
    // Assess
    assert.equal(response.status, 200);
    assert.deepEqual(sleeps, [4_000]);
  });

  it('honours Retry-After as an HTTP-date, capped at maxRetryAfterMs', async () => {
    // Prepare
    const now = Date.parse('2026-11-22T09:00:00Z');
    server.enqueue(
      { status: 429, headers: { 'Retry-After': 'Sun, 22 Nov 2026 09:00:09 GMT' }, body: '' },
      { status: 503, headers: { 'Retry-After': 'Sun, 22 Nov 2026 10:00:00 GMT' }, body: '' },
    );
    // Act
    await requestWithRetry(get, { ...options, now: () => now, maxRetryAfterMs: 20_000 });
    // Assess
    assert.deepEqual(sleeps, [9_000, 20_000]);
  });

  for (const status of [400, 401, 403, 404]) {
    it(`does not retry a ${status}`, async () => {
      // Prepare
      server.enqueue({ status, body: 'no' });
      const count = server.requests;
      // Act
      const response = await requestWithRetry(get, options);
      // Assess
      assert.equal(response.status, status);
      assert.equal(server.requests - count, 1);
      assert.deepEqual(sleeps, []);
    });
  }

  it('retries a dropped connection and throws HttpNetworkError when every attempt fails', async () => {
    // Prepare
    server.enqueue({ destroy: true }, { destroy: true });
    // Act & Assess
    await assert.rejects(requestWithRetry(get, { ...options, maxAttempts: 2 }), (error: Error) => {
      assert.ok(error instanceof HttpNetworkError);
      assert.match(error.message, /^cannot reach http:\/\/127\.0\.0\.1:\d+/);
      return true;
    });
    assert.equal(sleeps.length, 1);
  });

  it('recovers when a retry after a dropped connection succeeds', async () => {
    // Prepare
    server.enqueue({ destroy: true });
    // Act
    const response = await requestWithRetry(get, options);
    // Assess
    assert.equal(response.status, 200);
    assert.equal(response.attempt, 2);
  });

  it('throws HttpNetworkError when nothing listens on the port', async () => {
    // Prepare
    const closed = await startFakeServer(() => ({ status: 200 }));
    await closed.close();
    // Act & Assess
    await assert.rejects(
      requestWithRetry(() => ({ url: closed.url, method: 'GET', headers: {} }), options),
      { name: 'HttpNetworkError', message: /ECONNREFUSED/ },
    );
  });

  it('times out each attempt and throws HttpTimeoutError after the retries', async () => {
    // Prepare
    const slow = await startFakeServer(() => ({ status: 200, body: {} }), { latencyMs: 300 });
    try {
      // Act & Assess
      await assert.rejects(
        requestWithRetry(() => ({ url: slow.url, method: 'GET', headers: {} }), {
          ...options,
          timeoutMs: 50,
          maxAttempts: 2,
        }),
        (error: Error) => error instanceof HttpTimeoutError && /within 50 ms/.test(error.message),
      );
      assert.equal(slow.requests, 2);
    } finally {
      await slow.close();
    }
  });

  it("throws the caller's abort reason and stops retrying", async () => {
    // Prepare
    const controller = new AbortController();
    server.setMode('unavailable');
    // Act & Assess
    await assert.rejects(
      requestWithRetry(get, {
        ...options,
        signal: controller.signal,
        sleep: async () => controller.abort(new Error('lambda deadline')),
      }),
      { message: 'lambda deadline' },
    );
  });

  it('stops reading and throws ResponseTooLargeError past the body cap', async () => {
    // Prepare
    server.enqueue({ status: 200, body: 'x'.repeat(5_000) });
    // Act & Assess
    await assert.rejects(
      requestWithRetry(get, { ...options, maxBodyBytes: 1_000 }),
      (error: Error) =>
        error instanceof ResponseTooLargeError && /larger than 1000 bytes/.test(error.message),
    );
  });

  it('stops reading a chunked body without Content-Length past the cap', async () => {
    // Prepare
    const streaming = await startFakeServer(() => ({
      status: 200,
      headers: { 'Transfer-Encoding': 'chunked' },
      body: 'y'.repeat(200_000),
    }));
    try {
      // Act & Assess
      await assert.rejects(
        requestWithRetry(() => ({ url: streaming.url, method: 'GET', headers: {} }), {
          ...options,
          maxBodyBytes: 10_000,
        }),
        { name: 'ResponseTooLargeError' },
      );
    } finally {
      await streaming.close();
    }
  });

  it('does not follow a redirect', async () => {
    // Prepare
    server.enqueue({ status: 302, headers: { Location: 'http://example.org/' }, body: '' });
    const count = server.requests;
    // Act
    const response = await requestWithRetry(get, options);
    // Assess
    assert.equal(response.status, 302);
    assert.equal(server.requests - count, 1);
  });

  it('calls prepare before every attempt, so each attempt can carry fresh values', async () => {
    // Prepare
    server.enqueue({ status: 503, body: '' });
    const attempts: number[] = [];
    const count = server.requests;
    // Act
    await requestWithRetry((attempt) => {
      attempts.push(attempt);
      return { url: server.url, method: 'GET', headers: { 'X-Attempt': String(attempt) } };
    }, options);
    // Assess
    assert.deepEqual(attempts, [1, 2]);
    assert.deepEqual(
      server
        .received()
        .slice(count)
        .map((request) => request.headers['x-attempt']),
      ['1', '2'],
    );
  });

  for (const url of ['http://example.org/token', 'ftp://127.0.0.1/token', 'not a url']) {
    it(`throws InsecureUrlError before sending to ${url}`, async () => {
      // Act & Assess
      await assert.rejects(
        requestWithRetry(() => ({ url, method: 'GET', headers: {} }), options),
        InsecureUrlError,
      );
    });
  }

  it('throws InsecureUrlError, naming the origin only, for a URL with user info', async () => {
    // Act & Assess
    await assert.rejects(
      requestWithRetry(
        () => ({ url: 'https://user:hunter2@idp.example.org/token', method: 'GET', headers: {} }),
        options,
      ),
      (error: Error) =>
        error instanceof InsecureUrlError &&
        error.message.includes('https://idp.example.org') &&
        !error.message.includes('hunter2'),
    );
  });
});
