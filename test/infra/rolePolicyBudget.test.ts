import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TokenBroker } from '../../infra/components/index.ts';
import { INLINE_POLICY_LIMIT } from '../../infra/components/policies.ts';
import { policySize, withinRoleLimit } from '../../infra/components/RolePolicyLedger.ts';
import { installMocks, mockArn, ofType, type RecordedResource, settle } from './pulumiMocks.ts';

/** `count` Code42 API-client instances, `tenant-000` onwards. */
function fleet(count: number) {
  return Array.from({ length: count }, (_, index) => ({
    name: `tenant-${String(index).padStart(3, '0')}`,
    type: 'code42-api-client' as const,
    baseUrl: 'https://console.us.code42.com',
  }));
}

/** The inline policies of one role, as IAM counts them (no white space). */
function inlinePolicies(recorded: readonly RecordedResource[], roleName: string) {
  return ofType(recorded, 'aws:iam/rolePolicy:RolePolicy')
    .filter((policy) => policy.inputs.role === roleName)
    .map((policy) => ({
      name: policy.name,
      size: JSON.stringify(JSON.parse(String(policy.inputs.policy))).length,
      document: JSON.parse(String(policy.inputs.policy)) as {
        Statement: { Sid: string; Resource: string[] }[];
      },
    }));
}

describe('Method: TokenBroker.grantRead, the whole role within IAM’s inline limit', () => {
  it('keeps the example consumer’s role within 10,240 characters at 155 instances', async () => {
    // Prepare
    const recorded = await installMocks();
    // Act
    new TokenBroker('tb', {
      parameterPrefix: '/tb/dev',
      instances: fleet(155),
      exampleConsumer: true,
    });
    await settle();
    // Assess
    const policies = inlinePolicies(recorded, 'tb-example-consumer-role-0a1b2c3');
    assert.deepEqual(policies.map((policy) => policy.name).sort(), [
      'tb-example-consumer-logs',
      'tb-read-tb-example-consumer-role',
      'tb-refresh-tb-example-consumer-role',
    ]);
    const total = policies.reduce((sum, policy) => sum + policy.size, 0);
    assert.ok(total <= INLINE_POLICY_LIMIT, `${total} characters`);
    const read = policies.find((policy) => policy.name === 'tb-read-tb-example-consumer-role');
    assert.deepEqual(read?.document.Statement[0]?.Resource, [mockArn('ssm', 'parameter/tb/dev/*')]);
  });
});

describe('Function: withinRoleLimit', () => {
  const document = JSON.stringify({ Version: '2012-10-17', Statement: [] });

  it('passes a document that fits beside the role’s other policies, counted without white space', () => {
    // Prepare
    const spaced = JSON.stringify(JSON.parse(document), null, 2);
    // Act + Assess
    assert.equal(policySize(spaced), document.length);
    assert.equal(
      withinRoleLimit('g', 'job', spaced, INLINE_POLICY_LIMIT - document.length),
      spaced,
    );
  });

  it('refuses one that does not, naming the grant, the role and the total', () => {
    // Act + Assess
    assert.throws(
      () => withinRoleLimit('tb-refresh-job', 'job', document, INLINE_POLICY_LIMIT),
      new RegExp(
        `^Error: tb-refresh-job: the inline policies of role job would total ${INLINE_POLICY_LIMIT + document.length} characters, above IAM's 10240`,
      ),
    );
  });
});
