import assert from 'node:assert/strict';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { bundleLambda, packageFile } from '../../infra/components/index.ts';
import {
  type BrokerSettings,
  REFRESHER_CONFIG_FILE,
  type RefresherDeployment,
  refresherDeployment,
  resolveBrokerSettings,
} from '../../infra/settings/index.ts';
import { tokenParameterName } from '../../lambdas/reader/contract/names.ts';
import { RefresherEnvironment } from '../../lambdas/refresher/contract.ts';
import { type FakeOAuth2Server, oauth2Instance, startFakeOAuth2 } from '../fakes/index.ts';
import { type Moto, startMoto } from '../support/moto.ts';
import { provisionInstances } from './provisionInstances.ts';
import { type WrittenBundle, writeBundle } from './runBundle.ts';

const PREFIX = '/tb/fleet';
/**
 * Enough instances, each with a long scope, that the configuration no longer fits inline in the
 * environment (4 KB), and few enough that provisioning and publishing them stays quick.
 */
const COUNT = 16;
const SCOPE = Array.from({ length: 30 }, (_, index) => `api.tenant.read-${index}`).join(' ');

describe('Bundle: the refresher reading a large configuration from config.json in its archive', () => {
  let moto: Moto;
  let idp: FakeOAuth2Server;
  let settings: BrokerSettings;
  let deployment: RefresherDeployment;
  let bundle: WrittenBundle;
  let env: Record<string, string>;

  before(async () => {
    moto = await startMoto();
    idp = await startFakeOAuth2({ clientId: 'broker', clientSecret: 'secret-idp' });
    const names = Array.from({ length: COUNT }, (_, index) => `tenant-${index}`);
    settings = resolveBrokerSettings({
      parameterPrefix: PREFIX,
      // Paced at the higher-throughput rate (8 Put/s): the first publishes take 2 s, not 8.
      ssmThroughput: 'higher',
      instances: names.map((name) => oauth2Instance(idp.tokenUrl, { scope: SCOPE }, name)),
    });
    const credentials = { clientId: 'broker', clientSecret: 'secret-idp' };
    await provisionInstances(
      PREFIX,
      moto.env.AWS_REGION ?? 'us-east-1',
      Object.fromEntries(names.map((name) => [name, credentials])),
    );
    deployment = refresherDeployment({
      config: settings.config,
      scheduleSeconds: settings.scheduleSeconds,
      kmsKeyArn: undefined,
    });
    // What Lambda unpacks into its task root: the bundle and the archive's extra files.
    bundle = await writeBundle(await bundleLambda(packageFile('lambdas/refresher/handler.ts')));
    for (const [name, text] of Object.entries(deployment.files)) {
      await writeFile(join(bundle.directory, name), text);
    }
    env = { ...moto.env, ...deployment.variables };
  });

  after(async () => {
    await bundle.remove();
    await idp.close();
    await moto.stop();
  });

  it('ships the configuration as a file, named in the environment', () => {
    assert.deepEqual(Object.keys(deployment.files), [REFRESHER_CONFIG_FILE]);
    assert.equal(deployment.variables[RefresherEnvironment.configFile], REFRESHER_CONFIG_FILE);
    assert.equal(deployment.variables[RefresherEnvironment.config], undefined);
  });

  it('publishes every instance of the file on its first scheduled run', async () => {
    // Act
    const run = await bundle.invoke({}, env);
    // Assess
    assert.equal(run.exitCode, 0, run.stderr);
    assert.ok('result' in run.outcome, run.stdout);
    const { results } = run.outcome.result as { results: { name: string; outcome: string }[] };
    assert.deepEqual(
      results.map((result) => [result.name, result.outcome]),
      settings.config.instances.map((instance) => [instance.name, 'refreshed']),
    );
    assert.equal(idp.logins, COUNT);
    const ssm = new SSMClient({});
    const last = await ssm.send(
      new GetParameterCommand({
        Name: tokenParameterName(PREFIX, `tenant-${COUNT - 1}`),
        WithDecryption: true,
      }),
    );
    ssm.destroy();
    assert.ok(idp.issuedTokens().includes(JSON.parse(last.Parameter?.Value ?? '{}').token));
  });

  it('fails at INIT with a ConfigError naming the file when it is missing', async () => {
    // Prepare
    await rm(join(bundle.directory, REFRESHER_CONFIG_FILE));
    // Act
    const run = await bundle.invoke({}, env);
    // Assess
    assert.equal(run.exitCode, 1);
    assert.ok('error' in run.outcome, run.stdout);
    assert.equal(run.outcome.error.name, 'ConfigError');
    assert.match(
      run.outcome.error.message,
      /\(file .*config\.json named by TOKEN_BROKER_CONFIG_FILE\): cannot be read \(ENOENT\)/,
    );
  });
});
