import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { TokenBroker } from '../../infra/components/index.ts';
import { fourInstances } from './fixtures.ts';
import {
  aliasUrns,
  installMocks,
  recordOptions,
  resolved,
  type SeenResource,
  settle,
} from './pulumiMocks.ts';

/** The URN prefix of a resource the TokenBroker `tb`, at the stack's top level, created. */
const BROKER = 'urn:pulumi:test::token-broker::token-broker:index:TokenBroker';

describe('Component: TokenBroker, resources moved into BundledFunction and BrokerDashboard', () => {
  let broker: TokenBroker;
  const seen: SeenResource[] = [];

  before(async () => {
    await installMocks();
    broker = new TokenBroker(
      'tb',
      { parameterPrefix: '/tb/dev', instances: fourInstances, exampleConsumer: true },
      { transformations: [recordOptions(seen)] },
    );
    await settle();
  });

  it('keeps the URNs the resources had before, as aliases, and aliases nothing else', async () => {
    // Act
    const aliased = seen.filter((resource) => (resource.opts.aliases ?? []).length > 0);
    const urns = await Promise.all(aliased.map(aliasUrns));
    // Assess
    assert.deepEqual(urns.flat().sort(), [
      `${BROKER}$aws:cloudwatch/dashboard:Dashboard::tb-dashboard`,
      `${BROKER}$token-broker:index:ExampleConsumer$aws:cloudwatch/logGroup:LogGroup::tb-example-consumer-logs`,
      `${BROKER}$token-broker:index:ExampleConsumer$aws:iam/role:Role::tb-example-consumer-role`,
      `${BROKER}$token-broker:index:ExampleConsumer$aws:iam/rolePolicy:RolePolicy::tb-example-consumer-logs`,
      `${BROKER}$token-broker:index:ExampleConsumer$aws:lambda/function:Function::tb-example-consumer-function`,
      `${BROKER}$token-broker:index:Refresher$aws:cloudwatch/logGroup:LogGroup::tb-refresher-logs`,
      `${BROKER}$token-broker:index:Refresher$aws:iam/role:Role::tb-refresher-role`,
      `${BROKER}$token-broker:index:Refresher$aws:iam/rolePolicy:RolePolicy::tb-refresher-policy`,
      `${BROKER}$token-broker:index:Refresher$aws:lambda/function:Function::tb-refresher-function`,
    ]);
  });

  it('creates them in the new components, under the names they had', () => {
    // Act
    const moved = seen
      .filter((resource) => (resource.opts.aliases ?? []).length > 0)
      .map(({ name, opts }) => [
        name,
        opts.parent === undefined ? '' : pulumi.resourceType(opts.parent),
      ]);
    // Assess
    assert.deepEqual(moved.sort(), [
      ['tb-dashboard', 'token-broker:index:BrokerDashboard'],
      ['tb-example-consumer-function', 'token-broker:index:BundledFunction'],
      ['tb-example-consumer-logs', 'token-broker:index:BundledFunction'],
      ['tb-example-consumer-logs', 'token-broker:index:BundledFunction'],
      ['tb-example-consumer-role', 'token-broker:index:BundledFunction'],
      ['tb-refresher-function', 'token-broker:index:BundledFunction'],
      ['tb-refresher-logs', 'token-broker:index:BundledFunction'],
      ['tb-refresher-policy', 'token-broker:index:BundledFunction'],
      ['tb-refresher-role', 'token-broker:index:BundledFunction'],
    ]);
  });

  it('still exposes the dashboard itself, and its name', async () => {
    // Act
    const { dashboard } = broker;
    // Assess
    assert.ok(dashboard instanceof aws.cloudwatch.Dashboard);
    assert.equal(await resolved(dashboard.dashboardName), 'tb-dev-us-east-1');
  });
});
