import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type AwsLocation, parameterArn, secretArnForId } from '../../infra/components/arns.ts';
import {
  INLINE_POLICY_LIMIT,
  type RefresherPolicyInput,
  readPolicy,
  refresherPolicy,
} from '../../infra/components/policies.ts';
import { lockParameterName, tokenParameterName } from '../../lambdas/envelope/names.ts';

const at: AwsLocation = { partition: 'aws', region: 'eu-west-1', accountId: '123456789012' };
const PREFIX = '/token-broker/prod';

/** The refresher policy input of `count` instances named like a real fleet; `existing` use secretId. */
function fleet(count: number, existing = 0): RefresherPolicyInput {
  const names = Array.from(
    { length: count },
    (_, index) => `partner-api-${String(index).padStart(4, '0')}`,
  );
  return {
    tokenParameterArns: names.map((name) => parameterArn(at, tokenParameterName(PREFIX, name))),
    lockParameterArns: names.map((name) => parameterArn(at, lockParameterName(PREFIX, name))),
    ownSecretArns: names
      .slice(existing)
      .map(
        (name) => `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${PREFIX}/${name}-AbC123`,
      ),
    existingSecretArns: names
      .slice(0, existing)
      .map((name) => secretArnForId(at, `shared/${name}`)),
    kmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    logGroupArn: 'arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/refresher',
    deadLetterQueueArn: 'arn:aws:sqs:eu-west-1:123456789012:refresher-dlq',
    prefixScope: {
      tokenParameters: parameterArn(at, `${PREFIX}/*`),
      lockParameters: parameterArn(at, lockParameterName(PREFIX, '*')),
      ownSecrets: secretArnForId(at, `${PREFIX}/*`),
    },
  };
}

interface Statement {
  readonly Sid?: string;
  readonly Resource: string | string[];
}

/** The statements of a policy, as IAM receives them (JSON). */
function statementsOf(policy: ReturnType<typeof refresherPolicy>): Statement[] {
  return (JSON.parse(JSON.stringify(policy)) as { Statement: Statement[] }).Statement;
}

function resourcesOf(policy: ReturnType<typeof refresherPolicy>, sid: string): string[] {
  return [statementsOf(policy).find((statement) => statement.Sid === sid)?.Resource ?? []].flat();
}

describe('Function: refresherPolicy', () => {
  it('names every parameter and secret by exact ARN while the policy fits inline', () => {
    // Prepare
    const input = fleet(20);
    // Act
    const policy = refresherPolicy(input);
    // Assess
    assert.deepEqual(resourcesOf(policy, 'ReadAndPublishTokens'), input.tokenParameterArns);
    assert.deepEqual(resourcesOf(policy, 'LoginLeases'), input.lockParameterArns);
    assert.deepEqual(resourcesOf(policy, 'ReadCredentials'), input.ownSecretArns);
    assert.ok(JSON.stringify(policy).length <= INLINE_POLICY_LIMIT);
  });

  it('grants the stack prefix for 1,000 instances and stays within IAM’s inline limit', () => {
    // Prepare
    const input = fleet(1000, 5);
    // Act
    const policy = refresherPolicy(input);
    // Assess
    const size = JSON.stringify(policy).length;
    assert.ok(size <= INLINE_POLICY_LIMIT, `${size} characters`);
    assert.deepEqual(resourcesOf(policy, 'ReadAndPublishTokens'), [
      'arn:aws:ssm:eu-west-1:123456789012:parameter/token-broker/prod/*',
    ]);
    assert.deepEqual(resourcesOf(policy, 'LoginLeases'), [
      'arn:aws:ssm:eu-west-1:123456789012:parameter/token-broker/prod/.locks/*',
    ]);
    assert.deepEqual(resourcesOf(policy, 'ReadCredentials'), [
      'arn:aws:secretsmanager:eu-west-1:123456789012:secret:/token-broker/prod/*-??????',
      ...input.existingSecretArns,
    ]);
    assert.ok(
      statementsOf(policy).every((statement) => ![statement.Resource].flat().includes('*')),
      'never a bare "*"',
    );
  });

  it('refuses, naming the cause, when too many existing secrets are listed to fit', () => {
    // Act + Assess
    assert.throws(
      () => refresherPolicy(fleet(1000, 200)),
      /200 instances name an existing secretId/,
    );
  });
});

describe('Function: readPolicy', () => {
  const arns = (count: number) =>
    Array.from({ length: count }, (_, index) => parameterArn(at, `${PREFIX}/partner-api-${index}`));

  it('names the parameters exactly while they fit', () => {
    // Act
    const policy = readPolicy(arns(3), undefined, parameterArn(at, `${PREFIX}/*`));
    // Assess
    assert.deepEqual(resourcesOf(policy, 'ReadTokens'), arns(3));
  });

  it('grants the prefix when every instance of a large fleet is granted', () => {
    // Act
    const policy = readPolicy(arns(1000), undefined, parameterArn(at, `${PREFIX}/*`));
    // Assess
    assert.deepEqual(resourcesOf(policy, 'ReadTokens'), [parameterArn(at, `${PREFIX}/*`)]);
  });

  it('refuses a list of named instances too long to grant one by one', () => {
    // Act + Assess
    assert.throws(() => readPolicy(arns(1000), undefined), /1000 named parameters exceed IAM/);
  });
});
