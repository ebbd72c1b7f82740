import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { inspect } from 'node:util';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SSMClient } from '@aws-sdk/client-ssm';
import { TokenReader } from '../../../lambdas/reader/index.ts';
import { useMoto } from '../../support/moto.ts';
import { type FakeApi, startFakeApi } from './fakeApi.ts';
import { type FakeRefresher, startFakeRefresher } from './fakeRefresher.ts';
import { makeEnvelope, publish, TEST_PREFIX } from './fixtures.ts';

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

describe('Logging: no token in any log line', () => {
  let api: FakeApi;
  let refresher: FakeRefresher;

  useMoto();
  after(async () => {
    await refresher.close();
    await api.close();
  });
  before(async () => {
    api = await startFakeApi();
    refresher = await startFakeRefresher(async () => {
      throw new Error('1 of 1 instance(s) failed: cw: invalid credentials');
    });
  });

  it('logs and throws nothing that contains a token when the SDK clients log to the console', async (t) => {
    // Prepare
    const lines: string[] = [];
    const capture = (...args: unknown[]) => {
      lines.push(args.map((arg) => inspect(arg, { depth: Number.POSITIVE_INFINITY })).join(' '));
    };
    for (const method of CONSOLE_METHODS) t.mock.method(console, method, capture);
    t.mock.method(process.stderr, 'write', (chunk: unknown) => capture(chunk) === undefined);
    const ssm = new SSMClient({ logger: console });
    const lambda = new LambdaClient({ endpoint: refresher.url, logger: console });
    const reader = new TokenReader({
      parameterPrefix: TEST_PREFIX,
      ssmClient: ssm,
      lambdaClient: lambda,
      refresherFunctionName: 'refresher',
    });
    const past = (ms: number) => new Date(Date.now() - ms).toISOString();
    const tokens = [
      'tok-good-SECRET',
      'tok-other-SECRET',
      'tok-expired-SECRET',
      'tok-raw-SECRET',
    ] as const;
    await publish(ssm, 'good', makeEnvelope('good', { token: tokens[0], baseUrl: api.url }));
    await publish(ssm, 'wrong', makeEnvelope('other', { token: tokens[1] }));
    await publish(
      ssm,
      'expired',
      makeEnvelope('expired', {
        token: tokens[2],
        issuedAt: past(7200_000),
        refreshAt: past(7200_000),
        expiresAt: past(1000),
      }),
    );
    await publish(ssm, 'raw', `{"token":"${tokens[3]}"`);
    // Act
    const outcomes = await Promise.allSettled([
      reader.getToken('good'),
      reader.authorizationHeaders('good'),
      reader.getToken('wrong'),
      reader.getToken('expired'),
      reader.getToken('raw'),
      reader.fetchWithToken('good', '/x'),
      reader.fetchWithToken('expired', '/x'),
    ]);
    ssm.destroy();
    lambda.destroy();
    // Assess
    const errors = outcomes.flatMap((outcome) =>
      outcome.status === 'rejected' ? [inspect(outcome.reason, { depth: 10 })] : [],
    );
    assert.equal(errors.length, 5);
    assert.ok(lines.some((line) => line.includes('GetParameterCommand')));
    assert.ok(lines.some((line) => line.includes('InvokeCommand')));
    for (const token of tokens) {
      for (const text of [...lines, ...errors]) assert.ok(!text.includes(token), text);
    }
  });
});
