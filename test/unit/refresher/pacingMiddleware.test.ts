import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { before, describe, it } from 'node:test';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import {
  DescribeParametersCommand,
  GetParameterCommand,
  GetParametersCommand,
  PutParameterCommand,
} from '@aws-sdk/client-ssm';
import type { HttpRequest, HttpResponse } from '@smithy/types';
import { createRefresherClients } from '../../../lambdas/refresher/createRefresherClients.ts';
import type { PacingLimits } from '../../../lambdas/refresher/pacing.ts';
import { PACING_MIDDLEWARE } from '../../../lambdas/refresher/pacing.ts';

/** One token, then one per 1,000 s: every acquisition beyond the first shows in `delayMs`. */
const ONE_TOKEN = { ratePerSecond: 0.001, burst: 1 };
const SLOW: PacingLimits = {
  putParameter: ONE_TOKEN,
  getParameters: ONE_TOKEN,
  getSecretValue: ONE_TOKEN,
  putSecretValue: ONE_TOKEN,
};

/**
 * An HTTP handler under the SDK that answers the JSON 1.1 services from a script of status codes
 * (the last one repeats) and records each request's `X-Amz-Target`.
 */
function scriptedHandler(statuses: readonly number[]) {
  const targets: string[] = [];
  const handler = {
    async handle(request: HttpRequest) {
      targets.push(String(request.headers['x-amz-target']));
      const status = statuses[Math.min(targets.length - 1, statuses.length - 1)] ?? 200;
      const body =
        status === 200
          ? { Version: 1, Tier: 'Standard', Parameters: [] }
          : { __type: 'InternalServerError', message: 'try again' };
      const response = {
        statusCode: status,
        reason: status === 200 ? 'OK' : 'Internal Server Error',
        headers: { 'content-type': 'application/x-amz-json-1.1' },
        body: Readable.from([Buffer.from(JSON.stringify(body))]),
      } as unknown as HttpResponse;
      return { response };
    },
    updateHttpClientConfig: () => {},
    httpHandlerConfigs: () => ({}),
  };
  return { handler, targets };
}

const put = new PutParameterCommand({ Name: '/p', Value: 'v', Type: 'String', Overwrite: true });

describe('Function: pacingPlugin (through createRefresherClients)', () => {
  before(() => {
    // The clients need a region and credentials; every request stays in this process
    Object.assign(process.env, {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
    });
  });

  it('sits between the retry middleware and signing on SSM and Secrets Manager, not DynamoDB', () => {
    // Prepare
    const { ssm, secretsManager, dynamodb } = createRefresherClients();
    const finalize = (stack: readonly string[]) =>
      stack.filter((entry) => /retryMiddleware -|pacingMiddleware|httpSigning/.test(entry));
    // Act
    const stacks = [ssm, secretsManager].map((client) =>
      finalize(client.middlewareStack.identify()),
    );
    // Assess
    for (const stack of stacks) {
      assert.equal(stack.length, 3);
      assert.match(stack[0] ?? '', /^retryMiddleware - finalizeRequest/);
      assert.match(stack[1] ?? '', new RegExp(`^${PACING_MIDDLEWARE} - after retryMiddleware`));
      assert.match(stack[2] ?? '', /^httpSigningMiddleware/);
    }
    assert.ok(
      !dynamodb.middlewareStack.identify().some((entry) => entry.includes(PACING_MIDDLEWARE)),
    );
  });

  it('makes every retry attempt wait for the bucket, as the first attempt did', async () => {
    // Prepare: two server errors, then success; three tokens, then one per 1,000 s
    const { handler, targets } = scriptedHandler([500, 500, 200]);
    const { ssm, pacers } = createRefresherClients({
      requestHandler: handler,
      pacing: { ...SLOW, putParameter: { ratePerSecond: 0.001, burst: 3 } },
    });
    assert.equal(pacers?.putParameter.delayMs(3), 0, 'three tokens at the start');
    // Act
    await ssm.send(put);
    // Assess
    assert.deepEqual(targets, Array(3).fill('AmazonSSM.PutParameter'), 'two retries');
    assert.ok((pacers?.putParameter.delayMs() ?? 0) > 990_000, 'all three tokens were used');
  });

  it('aborts the wait with the call’s abortSignal, before anything is sent', async () => {
    // Prepare
    const { handler, targets } = scriptedHandler([200]);
    const { ssm } = createRefresherClients({ requestHandler: handler, pacing: SLOW });
    await ssm.send(put);
    // Act
    const started = performance.now();
    const call = ssm.send(put, { abortSignal: AbortSignal.timeout(50) });
    // Assess
    await assert.rejects(call, (error: Error) => /abort|timeout/i.test(error.name));
    assert.ok(performance.now() - started < 5_000);
    assert.equal(targets.length, 1, 'the second call never reached the handler');
  });

  it('shares one bucket between the SSM reads and lets unpaced calls pass at once', async () => {
    // Prepare
    const { handler, targets } = scriptedHandler([200]);
    const { ssm, secretsManager, dynamodb } = createRefresherClients({
      requestHandler: handler,
      pacing: SLOW,
    });
    await ssm.send(put);
    await secretsManager.send(new GetSecretValueCommand({ SecretId: 's' })).catch(() => {});
    await ssm.send(new GetParameterCommand({ Name: '/p' })).catch(() => {});
    // Act: every bucket is empty now
    const batch = ssm.send(new GetParametersCommand({ Names: ['/p'] }), {
      abortSignal: AbortSignal.timeout(50),
    });
    await ssm.send(new DescribeParametersCommand({}));
    await dynamodb.send(new DescribeTableCommand({ TableName: 't' })).catch(() => {});
    // Assess
    await assert.rejects(batch, (error: Error) => /abort|timeout/i.test(error.name));
    assert.deepEqual(targets, [
      'AmazonSSM.PutParameter',
      'secretsmanager.GetSecretValue',
      'AmazonSSM.GetParameter',
      'AmazonSSM.DescribeParameters',
      'DynamoDB_20120810.DescribeTable',
    ]);
  });

  it('sends unpaced when pacing is off', async () => {
    // Prepare
    const { handler, targets } = scriptedHandler([200]);
    const { ssm, pacers } = createRefresherClients({ requestHandler: handler, pacing: false });
    // Act
    await Promise.all(Array.from({ length: 20 }, () => ssm.send(put)));
    // Assess
    assert.equal(targets.length, 20);
    assert.equal(pacers, undefined);
  });
});
