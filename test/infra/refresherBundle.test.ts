import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { bundleLambda, packageFile } from '../../infra/components/index.ts';
import {
  type BrokerSettings,
  refresherDeployment,
  resolveBrokerSettings,
} from '../../infra/settings/index.ts';
import { tokenParameterName } from '../../lambdas/reader/contract/names.ts';
import { RefresherMetrics, refresherServiceName } from '../../lambdas/refresher/contract.ts';
import {
  code42ApiClientInstance,
  code42LocalAccountInstance,
  crisisworksInstance,
  type FakeOAuth2Server,
  type FakeProviderServer,
  oauth2Instance,
  randomTotpSeed,
  startFakeCode42,
  startFakeCrisisworks,
  startFakeOAuth2,
} from '../fakes/index.ts';
import { type Moto, startMoto } from '../support/moto.ts';
import { provisionInstances } from './provisionInstances.ts';
import { type WrittenBundle, writeBundle } from './runBundle.ts';

const PREFIX = '/tb/bundle';

interface EmfRecord {
  _aws: {
    CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[];
  };
  [key: string]: unknown;
}

/** The Embedded Metric Format records a run printed. */
function emfRecords(stdout: string): EmfRecord[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{') && line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as EmfRecord);
}

/** The dimension values of each record that carries a metric, as the alarms select them. */
function metricPoints(records: readonly EmfRecord[], metric: string): Record<string, unknown>[] {
  return records.flatMap((record) =>
    record._aws.CloudWatchMetrics.filter(
      (directive) =>
        directive.Namespace === RefresherMetrics.namespace &&
        directive.Metrics.some((candidate) => candidate.Name === metric),
    ).map((directive) =>
      Object.fromEntries([
        ...(directive.Dimensions[0] ?? []).map((key) => [key, record[key]]),
        ['value', record[metric]],
      ]),
    ),
  );
}

describe('Bundle: the refresher Lambda, run against moto and the fake providers', () => {
  let moto: Moto;
  let crisisworks: FakeProviderServer;
  let code42: FakeProviderServer;
  let idp: FakeOAuth2Server;
  let settings: BrokerSettings;
  let bundle: WrittenBundle;
  let env: Record<string, string>;
  let ssm: SSMClient;

  const readEnvelope = async (name: string) => {
    const output = await ssm.send(
      new GetParameterCommand({ Name: tokenParameterName(PREFIX, name), WithDecryption: true }),
    );
    return JSON.parse(output.Parameter?.Value ?? '') as {
      token: string;
      name: string;
      expiresAt: string;
    };
  };

  before(async () => {
    moto = await startMoto();
    ssm = new SSMClient({});
    const totpSecret = randomTotpSeed();
    crisisworks = await startFakeCrisisworks({
      site: 'sandbox',
      username: 'ops',
      password: 'pw-cw',
      totpSecret,
    });
    code42 = await startFakeCode42({
      apiClients: [{ clientId: 'key-1', clientSecret: 'secret-1' }],
      localAccounts: [{ username: 'admin', password: 'pw-c42' }],
    });
    idp = await startFakeOAuth2({ clientId: 'broker', clientSecret: 'secret-idp' });
    settings = resolveBrokerSettings({
      parameterPrefix: PREFIX,
      instances: [
        crisisworksInstance(crisisworks.url, 'sandbox', 'cw-sandbox'),
        code42ApiClientInstance(code42.url, 'c42-eu5'),
        code42LocalAccountInstance(code42.url, 'c42-admin'),
        oauth2Instance(idp.tokenUrl),
      ],
      credentials: {
        'cw-sandbox': { username: 'ops', password: 'pw-cw', totpSecret },
        'c42-eu5': { clientId: 'key-1', clientSecret: 'secret-1' },
        'c42-admin': { username: 'admin', password: 'pw-c42' },
        idp: { clientId: 'broker', clientSecret: 'secret-idp' },
      },
    });
    await provisionInstances(PREFIX, moto.env.AWS_REGION ?? 'us-east-1', settings.credentials);
    bundle = await writeBundle(await bundleLambda(packageFile('lambdas/refresher/handler.ts')));
    env = {
      ...moto.env,
      ...refresherDeployment({
        config: settings.config,
        scheduleSeconds: settings.scheduleSeconds,
        kmsKeyArn: undefined,
      }).variables,
    };
  });

  after(async () => {
    await bundle.remove();
    await Promise.all([crisisworks.close(), code42.close(), idp.close()]);
    ssm.destroy();
    await moto.stop();
  });

  it('publishes every pending token on its first scheduled run, and reports the metrics the alarms use', async () => {
    // Act
    const run = await bundle.invoke({}, env);
    // Assess
    assert.equal(run.exitCode, 0, run.stderr);
    assert.ok('result' in run.outcome);
    const { results } = run.outcome.result as { results: { name: string; outcome: string }[] };
    assert.deepEqual(
      results.map((result) => [result.name, result.outcome]),
      settings.config.instances.map((instance) => [instance.name, 'refreshed']),
    );
    assert.equal((await readEnvelope('cw-sandbox')).token, crisisworks.issuedTokens().at(-1));
    assert.equal((await readEnvelope('idp')).token, idp.issuedTokens().at(-1));
    const code42Tokens = code42.issuedTokens();
    assert.deepEqual(
      [(await readEnvelope('c42-eu5')).token, (await readEnvelope('c42-admin')).token].sort(),
      [...code42Tokens].sort(),
    );
    assert.deepEqual([crisisworks.logins, code42.logins, idp.logins], [1, 2, 1]);

    const records = emfRecords(run.stdout);
    const expiry = metricPoints(records, RefresherMetrics.secondsToExpiry);
    assert.deepEqual(
      expiry.map((point) => [point.service, point.Instance]).sort(),
      settings.config.instances
        .map((instance) => [refresherServiceName(settings.config.parameterPrefix), instance.name])
        .sort(),
    );
    assert.ok(expiry.every((point) => Number(point.value) > settings.expiryAlarmSeconds));
    assert.deepEqual(metricPoints(records, RefresherMetrics.cycleSucceeded), [
      { service: refresherServiceName(settings.config.parameterPrefix), value: 1 },
    ]);
    const output = run.stdout + run.stderr;
    const credentials = Object.values(settings.credentials).flatMap((value) =>
      Object.entries(value)
        .filter(([key]) => key !== 'username' && key !== 'clientId')
        .map(([, text]) => String(text)),
    );
    const tokens = [crisisworks, code42, idp].flatMap((fake) => fake.issuedTokens());
    for (const secret of [...credentials, ...tokens]) {
      assert.ok(!output.includes(secret), 'no credential or token in the logs');
    }
  });

  it('refreshes only the named instances when forced, as the deployment invocation asks', async () => {
    // Prepare
    const before = await readEnvelope('idp');
    // Act
    const run = await bundle.invoke({ names: ['idp'], force: true }, env);
    // Assess
    assert.equal(run.exitCode, 0, run.stderr);
    assert.ok('result' in run.outcome);
    const { results } = run.outcome.result as { results: { name: string; outcome: string }[] };
    assert.deepEqual(
      results.map((result) => [result.name, result.outcome]),
      [['idp', 'refreshed']],
    );
    assert.notEqual((await readEnvelope('idp')).token, before.token);
    assert.deepEqual([crisisworks.logins, code42.logins, idp.logins], [1, 2, 2]);
  });

  it('fails the invocation naming the instance when its provider refuses, keeping the valid token', async () => {
    // Prepare
    const before = await readEnvelope('idp');
    idp.setMode('reject');
    // Act
    const run = await bundle.invoke({ names: ['idp'], force: true }, env);
    idp.setMode('normal');
    // Assess
    assert.equal(run.exitCode, 1);
    assert.ok('error' in run.outcome);
    assert.equal(run.outcome.error.name, 'RefreshFailedError');
    assert.match(run.outcome.error.message, /\bidp\b/);
    assert.equal((await readEnvelope('idp')).token, before.token);
  });
});
