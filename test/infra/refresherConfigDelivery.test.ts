import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as pulumi from '@pulumi/pulumi';
import { TokenBroker } from '../../infra/components/index.ts';
import {
  environmentSize,
  LAMBDA_ENVIRONMENT_LIMIT_BYTES,
  REFRESHER_CONFIG_FILE,
  resolveBrokerSettings,
} from '../../infra/settings/index.ts';
import { RefresherEnvironment } from '../../lambdas/refresher/contract.ts';
import { fourInstances, kmsKeyArn } from './fixtures.ts';
import { find, installMocks, ofType, type RecordedResource, settle } from './pulumiMocks.ts';

const FUNCTION = 'aws:lambda/function:Function';
const DASHBOARD = 'aws:cloudwatch/dashboard:Dashboard';

/** The refresher's environment variables and the files of its deployment archive, as deployed. */
async function deployedRefresher(recorded: readonly RecordedResource[]) {
  const fn = find(recorded, FUNCTION, 'tb-refresher-function').inputs;
  const variables = (fn.environment as { variables: Record<string, string> }).variables;
  const archive = fn.code as pulumi.asset.AssetArchive;
  assert.ok(pulumi.asset.Archive.isInstance(archive));
  const assets = (await archive.assets) as Record<string, pulumi.asset.StringAsset>;
  const files: Record<string, string> = {};
  for (const [name, asset] of Object.entries(assets)) files[name] = await asset.text;
  return { fn, variables, files };
}

describe('Component: TokenBroker, a small configuration goes inline in the environment', () => {
  const input = { parameterPrefix: '/tb/dev', instances: fourInstances.slice(0, 3) };
  let recorded: RecordedResource[];

  before(async () => {
    recorded = await installMocks();
    new TokenBroker('tb', input);
    await settle();
  });

  it('sets TOKEN_BROKER_CONFIG to the validated document and ships no config file', async () => {
    // Act
    const { variables, files } = await deployedRefresher(recorded);
    // Assess
    assert.deepEqual(
      JSON.parse(variables[RefresherEnvironment.config] ?? ''),
      resolveBrokerSettings(input).config,
    );
    assert.equal(variables[RefresherEnvironment.configFile], undefined);
    assert.deepEqual(Object.keys(files).sort(), ['index.mjs', 'index.mjs.map']);
  });
});

describe('Component: TokenBroker, 252 instances (past the first sizing step) go into the deployment archive', () => {
  const input = {
    parameterPrefix: '/token-broker/production-fleet',
    // 252: past 250, where the memory default takes its first step; the sizing functions
    // themselves are tested up to 1,000 instances (settings.test.ts).
    instances: Array.from({ length: 63 }, (_, index) =>
      fourInstances.map((instance) => ({ ...instance, name: `${instance.name}-${index}` })),
    ).flat(),
    kmsKeyArn,
  };
  let recorded: RecordedResource[];

  before(async () => {
    recorded = await installMocks();
    new TokenBroker('tb', input);
    await settle();
  });

  it('ships config.json with the validated document and names it in the environment', async () => {
    // Act
    const { variables, files } = await deployedRefresher(recorded);
    // Assess
    assert.deepEqual(Object.keys(files).sort(), ['config.json', 'index.mjs', 'index.mjs.map']);
    assert.deepEqual(
      JSON.parse(files[REFRESHER_CONFIG_FILE] ?? ''),
      resolveBrokerSettings(input).config,
    );
    assert.equal(variables[RefresherEnvironment.configFile], REFRESHER_CONFIG_FILE);
    assert.equal(variables[RefresherEnvironment.config], undefined);
    assert.equal(variables[RefresherEnvironment.kmsKeyId], kmsKeyArn);
  });

  it('keeps the whole environment under Lambda’s 4 KB', async () => {
    // Act
    const { variables } = await deployedRefresher(recorded);
    // Assess
    assert.ok(environmentSize(variables) < LAMBDA_ENVIRONMENT_LIMIT_BYTES);
  });

  it('sizes the refresher for the count', async () => {
    // Act
    const { fn } = await deployedRefresher(recorded);
    // Assess
    assert.deepEqual([fn.memorySize, fn.timeout], [384, 250]);
  });

  it('keeps the dashboard within CloudWatch limits, with Metrics Insights queries', () => {
    // Act
    const body = String(find(recorded, DASHBOARD, 'tb-dashboard').inputs.dashboardBody);
    // Assess
    const widgets = (
      JSON.parse(body) as { widgets: { properties: { title: string; metrics: unknown[][] } }[] }
    ).widgets;
    assert.ok(body.length < 1_000_000);
    assert.ok(widgets.every((widget) => widget.properties.metrics.length <= 500));
    assert.match(
      JSON.stringify(widgets[0]?.properties.metrics),
      /SELECT MIN\(\\"SecondsToExpiry\\"\) FROM SCHEMA\(.*GROUP BY \\"Instance\\" ORDER BY MIN\(\) ASC LIMIT 25/,
    );
    const from = `FROM SCHEMA("TokenBroker", "Instance", "service") WHERE "service" = 'token-broker/token-broker/production-fleet'`;
    assert.deepEqual(widgets[3]?.properties, {
      title: 'Deferred and pending (all instances; most deferred 25)',
      region: 'us-east-1',
      view: 'timeSeries',
      stacked: false,
      metrics: [
        [
          {
            expression: `SELECT SUM("RefreshDeferred") ${from}`,
            id: 'deferred',
            period: 60,
            label: 'deferred (all instances)',
          },
        ],
        [
          {
            expression: `SELECT SUM("CredentialsPending") ${from}`,
            id: 'pending',
            period: 60,
            label: 'pending (all instances)',
          },
        ],
        [
          {
            expression: `SELECT SUM("RefreshDeferred") ${from} GROUP BY "Instance" ORDER BY SUM() DESC LIMIT 25`,
            id: 'mostDeferred',
            period: 60,
          },
        ],
      ],
    });
  });

  it('watches every token’s expiry with one alarm, whatever the fleet’s size', () => {
    // Act
    const alarms = ofType(recorded, 'aws:cloudwatch/metricAlarm:MetricAlarm');
    // Assess
    assert.deepEqual(alarms.map((alarm) => alarm.name).sort(), [
      'tb-alarms-dead-letters',
      'tb-alarms-expiry',
      'tb-alarms-no-success',
      'tb-alarms-refresh-failed',
    ]);
  });
});
