import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { PENDING_TOKEN_VALUE } from '../../../lambdas/reader/contract/index.ts';
import { useMoto } from '../../support/moto.ts';
import { runCli } from '../../support/runCli.ts';
import { writeTempJson } from '../../support/writeTempJson.ts';
import { type ProviderWorld, startProviderWorld } from '../refresher/providerWorld.ts';

describe('Command: status', () => {
  let world: ProviderWorld;
  let configFile: string;
  const moto = useMoto();
  after(async () => {
    await world.close();
  });
  before(async () => {
    world = await startProviderWorld();
    configFile = await writeTempJson('broker.json', world.config);
  });

  it('reports every instance missing and exits 1 before the first refresh', async () => {
    // Act
    const run = await runCli(['status', '--config', configFile, '--json'], { env: moto.env });
    // Assess
    assert.equal(run.code, 1);
    const rows = JSON.parse(run.stdout) as { name: string; state: string }[];
    assert.deepEqual(
      rows.map((row) => [row.name, row.state]),
      world.config.instances.map((instance) => [instance.name, 'missing']),
    );
  });

  it('shows every token fresh after a refresh, never printing a token or secret, and exits 0', async () => {
    // Prepare
    const refresh = await runCli(['refresh', '--config', configFile], { env: moto.env });
    assert.equal(refresh.code, 0, refresh.stderr);
    // Act
    const table = await runCli(['status', '--config', configFile], { env: moto.env });
    const json = await runCli(['status', '--config', configFile, '--json'], { env: moto.env });
    // Assess
    assert.equal(table.code, 0, table.stderr);
    const lines = table.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 1 + world.config.instances.length);
    for (const instance of world.config.instances) {
      assert.match(
        table.stdout,
        new RegExp(`^${instance.name}\\s+${instance.type}\\s+fresh\\s`, 'm'),
      );
    }
    const rows = JSON.parse(json.stdout) as { state: string; expiresAt: string }[];
    assert.ok(rows.every((row) => row.state === 'fresh' && Date.parse(row.expiresAt) > Date.now()));
    const issued = [world.crisisworks, world.code42, world.oauth2].flatMap((fake) =>
      fake.issuedTokens(),
    );
    const output = `${table.stdout}${table.stderr}${json.stdout}${json.stderr}`;
    for (const secret of [...world.secrets, ...issued]) assert.ok(!output.includes(secret));
  });

  it("shows the refresher's last result per instance: a refused login, then a refresh", async () => {
    // Prepare: idp's fake refuses its valid credentials; the stored token stays valid
    const refreshIdp = () =>
      runCli(['refresh', '--config', configFile, '--only', 'idp', '--force'], { env: moto.env });
    world.oauth2.setMode('reject');
    const refused = await refreshIdp();
    // Act
    const afterFailure = await runCli(['status', '--config', configFile], { env: moto.env });
    const failureJson = await runCli(['status', '--config', configFile, '--json'], {
      env: moto.env,
    });
    world.oauth2.setMode('normal');
    const refreshed = await refreshIdp();
    const afterRefresh = await runCli(['status', '--config', configFile], { env: moto.env });
    // Assess
    assert.equal(refused.code, 1);
    assert.equal(afterFailure.code, 0, 'the stored token is still fresh');
    assert.match(
      afterFailure.stdout,
      /^idp\s+oauth2-client-credentials\s+fresh\s.*\sfailed \d+s ago: InvalidCredentialsError: instance "idp" \(oauth2-client-credentials\): refused: invalid_client/m,
    );
    assert.match(afterFailure.stdout, /^cw-sandbox\s.*\srefreshed \d+s ago$/m);
    const idp = (
      JSON.parse(failureJson.stdout) as { name: string; lastResult?: Record<string, string> }[]
    ).find((row) => row.name === 'idp');
    assert.equal(idp?.lastResult?.outcome, 'failed');
    assert.match(idp?.lastResult?.reason ?? '', /^InvalidCredentialsError: /);
    assert.ok(Date.parse(idp?.lastResult?.at ?? '') <= Date.now());
    assert.equal(refreshed.code, 0, refreshed.stdout);
    assert.match(
      afterRefresh.stdout,
      /^idp\s+oauth2-client-credentials\s+fresh\s.*\srefreshed \d+s ago$/m,
    );
  });

  it('flags the pending placeholder and an unreadable value, and exits 1', async () => {
    // Prepare
    const ssm = new SSMClient({});
    const [first, second] = world.config.instances;
    for (const [instance, value] of [
      [first, PENDING_TOKEN_VALUE],
      [second, 'not an envelope'],
    ] as const) {
      await ssm.send(
        new PutParameterCommand({
          Name: `${world.config.parameterPrefix}/${instance?.name}`,
          Value: value,
          Type: 'SecureString',
          Overwrite: true,
        }),
      );
    }
    // Act
    const run = await runCli(['status', '--config', configFile], { env: moto.env });
    // Assess
    assert.equal(run.code, 1);
    assert.match(run.stdout, new RegExp(`^${first?.name}\\s+\\S+\\s+missing\\s`, 'm'));
    assert.match(
      run.stdout,
      new RegExp(`^${second?.name}\\s+\\S+\\s+unreadable\\s.*not JSON`, 'm'),
    );
  });

  it('refuses to run without --config', async () => {
    // Act
    const run = await runCli(['status'], { env: moto.env });
    // Assess
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--config FILE is required/);
  });
});
