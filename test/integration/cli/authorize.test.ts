import assert from 'node:assert/strict';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { parseBrokerConfig } from '../../../lambdas/config/index.ts';
import { loginInstance } from '../../../lambdas/providers/index.ts';
import { runRefreshCycle } from '../../../lambdas/refresher/index.ts';
import { type FakeRotatingOAuth2Server, startFakeRotatingOAuth2 } from '../../fakes/index.ts';
import { useMoto } from '../../support/moto.ts';
import { runCli } from '../../support/runCli.ts';
import { writeTempJson } from '../../support/writeTempJson.ts';
import { createStateTable } from '../refresher/fixtures.ts';

const cli = fileURLToPath(new URL('../../../scripts/cli.ts', import.meta.url));
const PREFIX = '/token-broker/test';
const CLIENT_SECRET = 'authorize-client-s3cret';

/** A running `token-broker authorize` and what it printed so far. */
interface Authorizing {
  readonly child: ChildProcessWithoutNullStreams;
  readonly output: { stdout: string; stderr: string };
  /** Resolves to the URL it asks the operator to open. */
  readonly url: Promise<URL>;
  /** Resolves to the exit code. */
  readonly exited: Promise<number | null>;
}

function authorize(
  args: readonly string[],
  env: Record<string, string>,
  input: string,
): Authorizing {
  const child = spawn(process.execPath, [cli, 'authorize', ...args], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const output = { stdout: '', stderr: '' };
  const url = new Promise<URL>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output.stdout += chunk;
      const match = /^ {2}(http\S+)$/m.exec(output.stdout);
      if (match?.[1] !== undefined) resolve(new URL(match[1]));
    });
    child.on('close', () => reject(new Error(`exited before printing a URL: ${output.stderr}`)));
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    output.stderr += chunk;
  });
  child.stdin.end(input);
  const exited = once(child, 'close').then(([code]) => code as number | null);
  return { child, output, url, exited };
}

/** Plays the browser: opens the URL, and follows the authorization server's redirect. */
async function approveInBrowser(url: URL, tamper = (location: URL) => location): Promise<number> {
  const answer = await fetch(url, { redirect: 'manual' });
  assert.equal(answer.status, 302);
  const location = tamper(new URL(answer.headers.get('location') ?? ''));
  return (await fetch(location)).status;
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

async function storedSecret(name: string): Promise<Record<string, string> | undefined> {
  try {
    const output = await new SecretsManagerClient({}).send(
      new GetSecretValueCommand({ SecretId: `${PREFIX}/${name}` }),
    );
    return JSON.parse(output.SecretString ?? '{}');
  } catch {
    return undefined;
  }
}

describe('Command: authorize', () => {
  let idp: FakeRotatingOAuth2Server;
  let configFile: string;
  let port: number;
  const document = () => ({
    parameterPrefix: PREFIX,
    instances: [
      {
        name: 'crm',
        type: 'oauth2-refresh-token',
        tokenUrl: idp.tokenUrl,
        authorizeUrl: idp.authorizeUrl,
        clientAuth: 'post',
        scope: 'offline_access read',
      },
      {
        name: 'crm-fixed',
        type: 'oauth2-refresh-token',
        tokenUrl: idp.tokenUrl,
        authorizeUrl: idp.authorizeUrl,
        clientAuth: 'post',
        redirectPort: port,
      },
      { name: 'idp', type: 'oauth2-client-credentials', tokenUrl: idp.tokenUrl },
    ],
  });
  const client = JSON.stringify({ clientId: 'app', clientSecret: CLIENT_SECRET });
  const noSecretsIn = (output: { stdout: string; stderr: string }, secrets: string[]) => {
    for (const secret of secrets) {
      assert.ok(!output.stdout.includes(secret) && !output.stderr.includes(secret), 'leaked');
    }
  };

  const moto = useMoto({ resetEach: true });
  after(async () => {
    await idp.close();
  });
  before(async () => {
    idp = await startFakeRotatingOAuth2({
      client: { clientId: 'app', clientSecret: CLIENT_SECRET, clientAuth: 'post' },
    });
    port = await freePort();
    configFile = await writeTempJson('config.json', document());
  });
  beforeEach(() => {
    idp.setMode('normal');
  });

  it('runs the code flow with PKCE on a loopback redirect and stores a refresh token the refresher uses', async () => {
    // Prepare
    await createStateTable();
    const run = authorize(['crm', '--config', configFile], moto.env, client);
    // Act
    const url = await run.url;
    const callbackStatus = await approveInBrowser(url);
    const code = await run.exited;
    // Assess
    assert.equal(code, 0, run.output.stderr);
    assert.equal(callbackStatus, 200);
    assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(url.searchParams.get('scope'), 'offline_access read');
    assert.match(
      url.searchParams.get('redirect_uri') ?? '',
      /^http:\/\/127\.0\.0\.1:\d+\/callback$/,
    );
    const secret = await storedSecret('crm');
    assert.deepEqual(Object.keys(secret ?? {}).sort(), [
      'clientId',
      'clientSecret',
      'refreshToken',
    ]);
    const refreshToken = secret?.refreshToken ?? '';
    assert.equal(idp.currentRefreshToken(refreshToken), refreshToken);
    assert.match(
      run.output.stdout,
      /created secret \/token-broker\/test\/crm with a new refresh token/,
    );
    noSecretsIn(run.output, [refreshToken, CLIENT_SECRET, ...idp.issuedTokens()]);
    const config = parseBrokerConfig(document(), 'test');
    const { results } = await runRefreshCycle(config, {
      names: ['crm'],
      login: (instance, credentials, options) =>
        loginInstance(instance, credentials, { ...options, sleep: async () => {} }),
    });
    assert.equal(results[0]?.outcome, 'refreshed');
  });

  it('listens on the configured redirectPort', async () => {
    // Prepare
    const run = authorize(['crm-fixed', '--config', configFile], moto.env, client);
    // Act
    const url = await run.url;
    await approveInBrowser(url);
    // Assess
    assert.equal(await run.exited, 0, run.output.stderr);
    assert.equal(url.searchParams.get('redirect_uri'), `http://127.0.0.1:${port}/callback`);
  });

  it('stores nothing when the redirect carries another state', async () => {
    // Prepare
    const run = authorize(['crm', '--config', configFile], moto.env, client);
    // Act
    await approveInBrowser(await run.url, (location) => {
      location.searchParams.set('state', 'forged');
      return location;
    });
    // Assess
    assert.equal(await run.exited, 1);
    assert.match(
      run.output.stderr,
      /instance "crm": the redirect's state does not match; nothing stored/,
    );
    assert.equal(await storedSecret('crm'), undefined);
  });

  it('reports a refusal by the authorization server', async () => {
    // Prepare
    idp.setMode('reject');
    const run = authorize(['crm', '--config', configFile], moto.env, client);
    // Act
    await approveInBrowser(await run.url);
    // Assess
    assert.equal(await run.exited, 1);
    assert.match(
      run.output.stderr,
      /the authorization server refused: access_denied: The user said no/,
    );
    assert.equal(await storedSecret('crm'), undefined);
  });

  it('refuses an instance of another type as a usage mistake', async () => {
    // Act
    const run = await runCli(['authorize', 'idp', '--config', configFile], {
      env: moto.env,
      input: client,
    });
    // Assess
    assert.equal(run.code, 2);
    assert.match(
      run.stderr,
      /instance "idp" is oauth2-client-credentials, not oauth2-refresh-token/,
    );
  });

  it('refuses client credentials that lack the clientAuth field, naming it', async () => {
    // Act
    const run = await runCli(['authorize', 'crm', '--config', configFile], {
      env: moto.env,
      input: JSON.stringify({ clientId: 'app' }),
    });
    // Assess
    assert.equal(run.code, 1);
    assert.match(run.stderr, /clientSecret: is required with clientAuth "post"/);
  });
});
