import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { useMoto } from '../../support/moto.ts';
import { spawnCli as runCli } from '../../support/runCli.ts';
import { writeTempJson } from '../../support/writeTempJson.ts';
import { stateRecord } from '../refresher/fixtures.ts';
import { type ProviderWorld, startProviderWorld } from '../refresher/providerWorld.ts';

describe('Commands: token and refresh on one TOTP instance (the state table keeps their codes apart)', () => {
  let world: ProviderWorld;
  let configFile: string;
  let credentialsFile: string;
  let env: Record<string, string>;
  const moto = useMoto();
  after(async () => {
    await world.close();
  });
  before(async () => {
    world = await startProviderWorld();
    configFile = await writeTempJson('broker.json', world.config);
    credentialsFile = await writeTempJson('credentials.json', world.credentials);
    env = {
      ...moto.env,
      TOKEN_BROKER_STATE_DIR: await mkdtemp(join(tmpdir(), 'token-broker-collision-')),
    };
  });

  it('lets a forced refresh right after token wait for the next step instead of replaying its code', {
    timeout: 90_000,
  }, async () => {
    // Act
    const token = await runCli(
      ['token', 'cw-sandbox', '--config', configFile, '--credentials', credentialsFile],
      { env },
    );
    const refresh = await runCli(
      ['refresh', '--config', configFile, '--only', 'cw-sandbox', '--force'],
      { env },
    );
    // Assess
    assert.equal(token.code, 0, token.stderr);
    assert.doesNotMatch(token.stderr, /not reachable/);
    assert.equal(refresh.code, 0, `${refresh.stdout}${refresh.stderr}`);
    assert.match(refresh.stdout, /^✓ cw-sandbox\s+refreshed/m);
    assert.equal(world.crisisworks.logins, 2, 'both logged in, with codes of different steps');
    const record = await stateRecord('cw-sandbox', world.config.stateTable);
    assert.equal(record?.lastResult?.outcome, 'refreshed', "token kept the refresher's record");
  });

  it('says so and goes on with the local step file when the state table cannot be reached', async () => {
    // Act
    const token = await runCli(
      ['token', 'c42-admin', '--config', configFile, '--credentials', credentialsFile],
      { env: { ...env, AWS_ENDPOINT_URL: 'http://127.0.0.1:9' } },
    );
    // Assess
    assert.equal(token.code, 0, token.stderr);
    assert.match(
      token.stderr,
      /instance "c42-admin": state table token-broker-test-state not reachable \(.*\); the TOTP step is remembered on this machine only/,
    );
    for (const secret of world.secrets) assert.ok(!token.stderr.includes(secret));
  });
});
