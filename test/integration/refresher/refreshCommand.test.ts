import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { parseEnvelopeJson } from '../../../lambdas/reader/contract/index.ts';
import { awsCliGetParameters } from '../../support/awsCli.ts';
import { useMoto } from '../../support/moto.ts';
import { runCli } from '../../support/runCli.ts';
import { PREFIX } from './fixtures.ts';
import { type ProviderWorld, startProviderWorld, WORLD_NAMES } from './providerWorld.ts';

describe('Command: refresh', () => {
  const moto = useMoto({ resetEach: true });
  let world: ProviderWorld;
  let directory: string;
  let configFile: string;

  const cli = (...args: string[]) =>
    runCli(['refresh', ...args], { env: { HOME: directory, ...moto.env } });

  const useWorld = async (options: { latencyMs?: number } = {}) => {
    world = await startProviderWorld(options);
    await writeFile(configFile, JSON.stringify(world.config));
  };

  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'refresh-cli-'));
    configFile = join(directory, 'broker.json');
  });
  after(async () => {
    await rm(directory, { recursive: true, force: true });
  });
  afterEach(async () => {
    await world.close();
  });

  it('publishes every due instance with one progress line each and exits 0', async () => {
    // Prepare
    await useWorld();
    // Act
    const run = await cli('--config', configFile);
    // Assess
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.trim().split('\n');
    assert.equal(lines.length, 5);
    for (const name of WORLD_NAMES) {
      assert.ok(
        lines.some((line) => new RegExp(`^✓ ${name} +refreshed +expires 20`).test(line)),
        `a progress line for ${name}`,
      );
    }
    assert.equal(lines.at(-1), '4 refreshed, 0 skipped, 0 failed');
    const parameter = (await awsCliGetParameters(moto, [`${PREFIX}/idp`])).get(`${PREFIX}/idp`);
    const parsed = parseEnvelopeJson(parameter?.Value ?? '');
    assert.ok(parsed.ok && parsed.envelope.token === world.oauth2.issuedTokens()[0]);
  });

  it('refreshes only the --only instances, and fresh ones only with --force', async () => {
    // Prepare
    await useWorld();
    await cli('--config', configFile);
    // Act
    const plain = await cli('--config', configFile, '--only', 'idp', '--only', 'c42-api');
    const forced = await cli('--config', configFile, '--only', 'idp', '--force');
    // Assess
    assert.equal(plain.code, 0);
    assert.match(plain.stdout, /^- c42-api +skipped +fresh: refresh due at /m);
    assert.equal(plain.stdout.trim().split('\n').length, 3);
    assert.equal(forced.code, 0);
    assert.match(forced.stdout, /^✓ idp +refreshed/m);
    assert.equal(world.oauth2.logins, 2);
  });

  it('exits 1 when an instance fails, naming it and the reason, with no secret in the output', async () => {
    // Prepare
    await useWorld();
    world.crisisworks.setMode('reject');
    // Act
    const run = await cli('--config', configFile);
    // Assess
    assert.equal(run.code, 1);
    assert.match(
      run.stdout,
      /^✗ cw-sandbox +failed +InvalidCredentialsError: instance "cw-sandbox"/m,
    );
    assert.match(run.stdout, /3 refreshed, 0 skipped, 1 failed/);
    const output = run.stdout + run.stderr;
    const tokens = [...world.code42.issuedTokens(), ...world.oauth2.issuedTokens()];
    for (const secret of [...world.secrets, ...tokens]) {
      assert.equal(output.includes(secret), false, 'a secret or token was printed');
    }
  });

  it('logs in once per instance when two processes race', async () => {
    // Prepare: slow fakes so that both processes are logging in at the same time
    await useWorld({ latencyMs: 500 });
    // Act
    const runs = await Promise.all([
      cli('--config', configFile),
      cli('--config', configFile, '--force'),
    ]);
    // Assess
    assert.deepEqual(
      runs.map((run) => run.code),
      [0, 0],
    );
    assert.equal(world.crisisworks.logins, 1);
    assert.equal(world.code42.logins, 2);
    assert.equal(world.oauth2.logins, 1);
  });

  it('exits 2 on an --only name that is not configured, before logging in', async () => {
    // Prepare
    await useWorld();
    // Act
    const run = await cli('--config', configFile, '--only', 'nope');
    // Assess
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--only: not configured: "nope"/);
    assert.equal(world.oauth2.requests + world.code42.requests + world.crisisworks.requests, 0);
  });
});
