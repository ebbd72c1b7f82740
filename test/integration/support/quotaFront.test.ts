import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { afterEach, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  DescribeParametersCommand,
  GetParameterCommand,
  GetParametersByPathCommand,
  GetParametersCommand,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { awsCli } from '../../support/awsCli.ts';
import { useMoto } from '../../support/moto.ts';
import { type OperationQuota, type QuotaFront, startQuotaFront } from '../../support/quotaFront.ts';

const python = fileURLToPath(new URL('../../../.venv/bin/python', import.meta.url));

/** One call admitted, the next in 1,000 s: the second call is surely throttled. */
const once = (targets: readonly string[], burst = 1): OperationQuota => ({
  targets,
  ratePerSecond: 0.001,
  burst,
});

describe('Function: startQuotaFront', () => {
  const moto = useMoto();
  const fronts: QuotaFront[] = [];
  const start = async (quotas?: readonly OperationQuota[]) => {
    const front = await startQuotaFront(moto.endpoint, moto.env, quotas);
    fronts.push(front);
    return front;
  };
  /** An SDK client through `front` with retries off, so every throttle reaches the caller. */
  const ssmThrough = (front: QuotaFront) =>
    new SSMClient({ endpoint: front.endpoint, maxAttempts: 1 });
  const put = (name: string) =>
    new PutParameterCommand({ Name: name, Value: 'v', Type: 'String', Overwrite: true });

  afterEach(async () => {
    await Promise.all(fronts.splice(0).map((front) => front.stop()));
    await moto.reset();
  });

  it('throttles a PutParameter burst above 3/s with AWS’s answer, and moto never sees it', async () => {
    // Prepare: the documented standard quotas
    const front = await start();
    const ssm = ssmThrough(front);
    // Act
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, index) => ssm.send(put(`/burst/p${index}`))),
    );
    // Assess
    const rejected = outcomes.flatMap((outcome) =>
      outcome.status === 'rejected' ? [outcome.reason as Error & { $metadata?: object }] : [],
    );
    assert.ok(rejected.length >= 10, `${rejected.length} of 20 throttled`);
    for (const error of rejected) {
      assert.equal(error.name, 'ThrottlingException');
      assert.equal(error.message, 'Rate exceeded');
      assert.deepEqual(
        { status: (error.$metadata as { httpStatusCode?: number }).httpStatusCode },
        { status: 400 },
      );
    }
    assert.equal(front.throttled.get('PutParameter'), rejected.length);
    assert.equal(front.passed.get('PutParameter'), 20 - rejected.length);
    const stored = await new SSMClient({}).send(new DescribeParametersCommand({ MaxResults: 50 }));
    assert.equal(stored.Parameters?.length, 20 - rejected.length, 'only the admitted reached moto');
  });

  it('counts GetParameter, GetParameters and GetParametersByPath against one quota', async () => {
    // Prepare: two reads admitted in all
    const targets = ['GetParameter', 'GetParameters', 'GetParametersByPath'];
    const front = await start([
      once(
        targets.map((name) => `AmazonSSM.${name}`),
        2,
      ),
    ]);
    const ssm = ssmThrough(front);
    await ssm.send(put('/reads/a'));
    // Act
    await ssm.send(new GetParameterCommand({ Name: '/reads/a' }));
    await ssm.send(new GetParametersCommand({ Names: ['/reads/a'] }));
    const third = ssm.send(new GetParametersByPathCommand({ Path: '/reads' }));
    // Assess
    await assert.rejects(third, { name: 'ThrottlingException' });
    assert.deepEqual(Object.fromEntries(front.passed), {
      PutParameter: 1,
      GetParameter: 1,
      GetParameters: 1,
    });
    assert.deepEqual(Object.fromEntries(front.throttled), { GetParametersByPath: 1 });
  });

  it('refills on reset and forwards operations without a quota unlimited', async () => {
    // Prepare
    const front = await start([once(['AmazonSSM.PutParameter'])]);
    const ssm = ssmThrough(front);
    await ssm.send(put('/reset/a'));
    await assert.rejects(ssm.send(put('/reset/b')), { name: 'ThrottlingException' });
    // Act
    front.reset();
    await ssm.send(put('/reset/b'));
    const described = await Promise.all(
      Array.from({ length: 10 }, () => ssm.send(new DescribeParametersCommand({}))),
    );
    // Assess
    assert.equal(described.length, 10);
    assert.deepEqual(Object.fromEntries(front.passed), { PutParameter: 1, DescribeParameters: 10 });
    assert.deepEqual(Object.fromEntries(front.throttled), {});
  });

  it('throttles the AWS CLI too, every one of its retries', async () => {
    // Prepare
    const front = await start([once(['AmazonSSM.PutParameter'])]);
    const cli = (name: string) =>
      awsCli(front, ['ssm', 'put-parameter', '--name', name, '--value', 'v', '--type', 'String']);
    await cli('/cli/a');
    // Act & Assess: the CLI's standard retry mode makes 3 attempts
    await assert.rejects(cli('/cli/b'), (error: Error & { stderr?: string }) => {
      assert.match(error.stderr ?? '', /\(ThrottlingException\).*PutParameter.*Rate exceeded/s);
      return true;
    });
    assert.equal(front.passed.get('PutParameter'), 1);
    assert.equal(front.throttled.get('PutParameter'), 3);
  });

  it('throttles boto3 with AWS_ENDPOINT_URL pointing at it', async () => {
    // Prepare
    const front = await start([once(['AmazonSSM.PutParameter'])]);
    const script = [
      'import boto3, botocore.config',
      'ssm = boto3.client("ssm", config=botocore.config.Config(retries={"mode": "standard", "total_max_attempts": 1}))',
      'ssm.put_parameter(Name="/boto/a", Value="v", Type="String")',
      'try:',
      '    ssm.put_parameter(Name="/boto/b", Value="v", Type="String")',
      'except ssm.exceptions.ClientError as error:',
      '    print(error.response["Error"]["Code"], error.response["ResponseMetadata"]["HTTPStatusCode"])',
    ].join('\n');
    // Act
    const { stdout } = await promisify(execFile)(python, ['-c', script], {
      env: { ...process.env, ...front.env },
    });
    // Assess
    assert.equal(stdout.trim(), 'ThrottlingException 400');
    assert.deepEqual(Object.fromEntries(front.throttled), { PutParameter: 1 });
  });
});
