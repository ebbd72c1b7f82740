import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { TokenReader } from '../../../lambdas/reader/index.ts';

describe('Class: TokenReader (a frozen SSM endpoint)', () => {
  let frozen: Server;
  const sockets: Socket[] = [];
  const saved = { ...process.env };
  before(async () => {
    // Accepts connections and never answers, as a hung endpoint does
    frozen = createServer((socket) => sockets.push(socket));
    frozen.listen(0, '127.0.0.1');
    await once(frozen, 'listening');
    const address = frozen.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: `http://127.0.0.1:${address.port}`,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_MAX_ATTEMPTS: '1',
    });
  });
  after(async () => {
    for (const socket of sockets) socket.destroy();
    frozen.close();
    process.env = saved;
  });

  it('fails a read in bounded time instead of hanging the handler', async () => {
    // Prepare: the reader's default SSM client
    const reader = new TokenReader({ parameterPrefix: '/token-broker/test' });
    const started = performance.now();
    // Act & Assess
    await assert.rejects(reader.getToken('idp'), (error: unknown) => {
      assert.ok(error instanceof Error);
      assert.match(`${error.name} ${error.message}`, /idp/);
      return true;
    });
    const seconds = (performance.now() - started) / 1000;
    assert.ok(seconds < 6, `gave up after ${seconds.toFixed(1)} s`);
  });
});
