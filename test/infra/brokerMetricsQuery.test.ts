import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { brokerMetricsQuery } from '../../infra/components/brokerMetricsQuery.ts';
import { RefresherMetrics } from '../../lambdas/refresher/contract.ts';

describe('Function: brokerMetricsQuery', () => {
  it('builds the fleet expiry alarm’s query: one series per instance, least time left first', () => {
    // Act
    const query = brokerMetricsQuery({
      service: 'token-broker/tb/dev',
      aggregate: 'MIN',
      metric: RefresherMetrics.secondsToExpiry,
      perInstance: { order: 'ASC', limit: 500 },
    });
    // Assess
    assert.equal(
      query,
      `SELECT MIN("SecondsToExpiry") FROM SCHEMA("TokenBroker", "Instance", "service") WHERE "service" = 'token-broker/tb/dev' GROUP BY "Instance" ORDER BY MIN() ASC LIMIT 500`,
    );
  });

  it('builds a fleet-wide total without grouping', () => {
    // Act
    const query = brokerMetricsQuery({
      service: 'token-broker/tb/dev',
      aggregate: 'SUM',
      metric: RefresherMetrics.refreshDeferred,
    });
    // Assess
    assert.equal(
      query,
      `SELECT SUM("RefreshDeferred") FROM SCHEMA("TokenBroker", "Instance", "service") WHERE "service" = 'token-broker/tb/dev'`,
    );
  });

  it('orders the top instances by the same aggregate it selects', () => {
    // Act
    const query = brokerMetricsQuery({
      service: 'token-broker/tb/dev',
      aggregate: 'MAX',
      metric: RefresherMetrics.loginLatency,
      perInstance: { order: 'DESC', limit: 25 },
    });
    // Assess
    assert.match(query, /^SELECT MAX\("LoginLatency"\) .* ORDER BY MAX\(\) DESC LIMIT 25$/);
  });

  it('selects only the metrics of its own stack', () => {
    // Act
    const dev = brokerMetricsQuery({
      service: 'token-broker/tb/dev',
      aggregate: 'SUM',
      metric: 'X',
    });
    const prod = brokerMetricsQuery({
      service: 'token-broker/tb/prod',
      aggregate: 'SUM',
      metric: 'X',
    });
    // Assess
    assert.notEqual(dev, prod);
    assert.match(prod, /WHERE "service" = 'token-broker\/tb\/prod'$/);
  });
});
