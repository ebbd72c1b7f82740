import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import type { NodeHttpHandler } from '@smithy/node-http-handler';
import {
  createRefresherClients,
  refresherClientDefaults,
} from '../../../lambdas/refresher/createRefresherClients.ts';

/** A TCP server on 127.0.0.1: `frozen` accepts and never answers, `reset` drops each connection. */
async function startTcpServer(mode: 'frozen' | 'reset') {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    if (mode === 'reset') {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}

describe('Function: createRefresherClients', () => {
  let frozen: Awaited<ReturnType<typeof startTcpServer>>;
  let reset: Awaited<ReturnType<typeof startTcpServer>>;
  before(async () => {
    frozen = await startTcpServer('frozen');
    reset = await startTcpServer('reset');
    Object.assign(process.env, {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
    });
  });
  after(async () => {
    await frozen.close();
    await reset.close();
  });

  it('fails each client’s call in bounded time when the endpoint accepts and never answers', async () => {
    // Prepare
    process.env.AWS_ENDPOINT_URL = frozen.endpoint;
    const { ssm, secretsManager, dynamodb } = createRefresherClients({
      requestTimeoutMs: 300,
      maxAttempts: 2,
    });
    const calls = [
      () => ssm.send(new GetParameterCommand({ Name: '/p' })),
      () => secretsManager.send(new GetSecretValueCommand({ SecretId: 's' })),
      () => dynamodb.send(new DescribeTableCommand({ TableName: 't' })),
    ];
    for (const call of calls) {
      const started = performance.now();
      // Act & Assess: two attempts of 300 ms each, plus the retry's backoff
      await assert.rejects(call(), (error: Error) => {
        assert.equal(error.name, 'TimeoutError');
        assert.match(error.message, /300 ms requestTimeout/);
        return true;
      });
      const elapsedMs = performance.now() - started;
      assert.ok(elapsedMs >= 600 && elapsedMs < 5_000, `took ${Math.round(elapsedMs)} ms`);
    }
  });

  it('sets a 3 s connection and a 10 s request timeout by default, on every client', async () => {
    // Prepare
    process.env.AWS_ENDPOINT_URL = reset.endpoint;
    const clients = createRefresherClients({ maxAttempts: 1 });
    const { ssm, secretsManager, dynamodb } = clients;
    // Act: the handler resolves its configuration on the first request
    await assert.rejects(ssm.send(new GetParameterCommand({ Name: '/p' })));
    await assert.rejects(secretsManager.send(new GetSecretValueCommand({ SecretId: 's' })));
    await assert.rejects(dynamodb.send(new DescribeTableCommand({ TableName: 't' })));
    // Assess
    for (const client of [ssm, secretsManager, dynamodb]) {
      const handler = client.config.requestHandler as NodeHttpHandler;
      const configured = handler.httpHandlerConfigs();
      assert.equal(configured.connectionTimeout, refresherClientDefaults.connectionTimeoutMs);
      assert.equal(configured.requestTimeout, refresherClientDefaults.requestTimeoutMs);
      assert.equal(configured.throwOnRequestTimeout, true);
      assert.equal(client.config.retryMode, 'adaptive');
    }
    assert.deepEqual(refresherClientDefaults, {
      connectionTimeoutMs: 3_000,
      requestTimeoutMs: 10_000,
    });
  });
});
