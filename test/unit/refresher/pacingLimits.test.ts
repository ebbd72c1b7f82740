import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, parseBrokerConfig } from '../../../lambdas/config/index.ts';
import { pacingLimits, pacingLimitsFor } from '../../../lambdas/refresher/pacing.ts';

const document = (extra: Record<string, unknown>) => ({
  parameterPrefix: '/token-broker/test',
  instances: [{ name: 'idp', type: 'oauth2-client-credentials', tokenUrl: 'https://idp.test/t' }],
  ...extra,
});

/** Per account and region, by Parameter Store throughput setting (AWS support's figures). */
const SSM_QUOTAS = {
  standard: { put: 3, get: 40 },
  higher: { put: 10, get: 3000 },
} as const;

describe('Function: pacingLimitsFor', () => {
  it('paces at the standard limits unless the configuration says ssmThroughput "higher"', () => {
    // Act
    const standard = pacingLimitsFor(parseBrokerConfig(document({}), 'test'));
    const higher = pacingLimitsFor(
      parseBrokerConfig(document({ ssmThroughput: 'higher' }), 'test'),
    );
    // Assess
    assert.equal(standard, pacingLimits.standard);
    assert.equal(higher, pacingLimits.higher);
    assert.deepEqual(standard.putParameter, { ratePerSecond: 2, burst: 2 });
    assert.deepEqual(higher.putParameter, { ratePerSecond: 8, burst: 8 });
  });

  it('stays below each quota, rate and burst, leaving room for the readers', () => {
    for (const setting of ['standard', 'higher'] as const) {
      const limits = pacingLimits[setting];
      const quota = SSM_QUOTAS[setting];
      assert.ok(limits.putParameter.ratePerSecond < quota.put, setting);
      assert.ok(limits.putParameter.burst < quota.put, setting);
      assert.ok(limits.getParameters.ratePerSecond <= quota.get / 4, setting);
      assert.ok(limits.getSecretValue.ratePerSecond < 10_000, setting);
      assert.ok(limits.putSecretValue.ratePerSecond < 50, setting);
    }
  });

  it('refuses an unknown ssmThroughput with a ConfigError naming the field', () => {
    assert.throws(
      () => parseBrokerConfig(document({ ssmThroughput: 'fast' }), 'test.json'),
      (error: Error) => error instanceof ConfigError && /ssmThroughput/.test(error.message),
    );
  });
});
