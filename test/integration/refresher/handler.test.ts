import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { bundleLambda } from '../../../infra/components/bundleLambda.ts';
import { parseEnvelopeJson } from '../../../lambdas/reader/contract/index.ts';
import { useMoto } from '../../support/moto.ts';
import { PREFIX, storedValue } from './fixtures.ts';
import { type ProviderWorld, startProviderWorld, WORLD_NAMES } from './providerWorld.ts';

const HANDLER = fileURLToPath(new URL('../../../lambdas/refresher/handler.ts', import.meta.url));

/**
 * Imports the bundle (INIT) and invokes `handler` once with a Lambda-like context; prints
 * `RESULT {summary}` or `ERROR {name, message}` for an INIT or invocation error.
 */
const INVOKE = `
const [bundle, event] = process.argv.slice(2);
const context = { awsRequestId: 'request-1', functionName: 'refresher', getRemainingTimeInMillis: () => 600000 };
try {
  const { handler } = await import(bundle);
  const summary = await handler(JSON.parse(event), context);
  process.stdout.write('RESULT ' + JSON.stringify(summary) + '\\n');
} catch (error) {
  process.stdout.write('ERROR ' + JSON.stringify({ name: error.name, message: error.message }) + '\\n');
  process.exitCode = 1;
}
`;

interface Invocation {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function errorOf(invocation: Invocation): { name: string; message: string } {
  const line = invocation.stdout.split('\n').find((entry) => entry.startsWith('ERROR ')) ?? '';
  return JSON.parse(line.slice('ERROR '.length) || '{}') as { name: string; message: string };
}

describe('Module: refresher handler (the bundle infra deploys)', () => {
  const moto = useMoto({ resetEach: true });
  let world: ProviderWorld;
  let directory: string;
  let bundle: string;
  let invoke: string;

  const run = (env: Record<string, string>, event: unknown = {}): Promise<Invocation> =>
    new Promise((resolve) => {
      execFile(
        process.execPath,
        [invoke, bundle, JSON.stringify(event)],
        { env: { PATH: process.env.PATH ?? '', ...moto.env, ...env } },
        (error, stdout, stderr) => {
          resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr });
        },
      );
    });

  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'refresher-bundle-'));
    bundle = join(directory, 'index.mjs');
    invoke = join(directory, 'invoke.mjs');
    const { code, sourceMap } = await bundleLambda(HANDLER);
    await writeFile(bundle, code);
    await writeFile(`${bundle}.map`, sourceMap);
    await writeFile(invoke, INVOKE);
  });
  after(async () => {
    await rm(directory, { recursive: true, force: true });
  });
  beforeEach(async () => {
    world = await startProviderWorld();
  });
  afterEach(async () => {
    await world.close();
  });

  it('fails at INIT with a ConfigError naming the bad field', async () => {
    // Prepare
    const config = { ...world.config, parameterPrefix: 'no-slash' };
    // Act
    const invocation = await run({ TOKEN_BROKER_CONFIG: JSON.stringify(config) });
    // Assess
    assert.equal(invocation.code, 1);
    assert.deepEqual(errorOf(invocation), {
      name: 'ConfigError',
      message:
        'invalid token-broker configuration (environment variable TOKEN_BROKER_CONFIG): parameterPrefix: must be an SSM path such as "/token-broker/dev" (no trailing slash)',
    });
  });

  it('publishes every instance and writes JSON logs and EMF metrics without a secret or token', async () => {
    // Act
    const invocation = await run({
      TOKEN_BROKER_CONFIG: JSON.stringify(world.config),
      TOKEN_BROKER_SCHEDULE_SECONDS: '300',
    });
    // Assess
    assert.equal(invocation.code, 0, invocation.stdout + invocation.stderr);
    const result = invocation.stdout.split('\n').find((line) => line.startsWith('RESULT '));
    const summary = JSON.parse(result?.slice('RESULT '.length) ?? '{}') as {
      results: { name: string; outcome: string }[];
    };
    assert.deepEqual(
      summary.results.map((entry) => [entry.name, entry.outcome]),
      WORLD_NAMES.map((name) => [name, 'refreshed']),
    );
    const records = invocation.stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const instanceLogs = records.filter((record) => record.message === 'instance refreshed');
    assert.deepEqual(instanceLogs.map((record) => record.instance).sort(), [...WORLD_NAMES].sort());
    assert.ok(instanceLogs.every((record) => record.function_request_id === 'request-1'));
    assert.ok(
      records.some((record) => record.CycleSucceeded === 1),
      'CycleSucceeded metric',
    );
    const tokens: string[] = [];
    for (const name of WORLD_NAMES) {
      const parsed = parseEnvelopeJson((await storedValue(name, PREFIX)) ?? '');
      assert.ok(parsed.ok);
      tokens.push(parsed.envelope.token);
    }
    const output = invocation.stdout + invocation.stderr;
    for (const secret of [...world.secrets, ...tokens]) {
      assert.equal(output.includes(secret), false, 'a secret or token was written');
    }
  });

  it('fails the invocation after all instances, naming each failed one', async () => {
    // Prepare
    world.oauth2.setMode('reject');
    world.crisisworks.setMode('reject');
    // Act
    const invocation = await run(
      { TOKEN_BROKER_CONFIG: JSON.stringify(world.config) },
      { force: true },
    );
    // Assess
    assert.equal(invocation.code, 1);
    const error = errorOf(invocation);
    assert.equal(error.name, 'RefreshFailedError');
    assert.match(
      error.message,
      /^2 of 4 instance\(s\) failed: cw-sandbox: InvalidCredentialsError: .*; idp: InvalidCredentialsError: /,
    );
    assert.equal(world.code42.logins, 2, 'the other instances were refreshed');
  });
});
