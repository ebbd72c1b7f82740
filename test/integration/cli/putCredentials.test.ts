import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ListSecretsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { type FakeOAuth2Server, startFakeOAuth2 } from '../../fakes/index.ts';
import { awsCli } from '../../support/awsCli.ts';
import { type Moto, useMoto } from '../../support/moto.ts';
import { runCli } from '../../support/runCli.ts';
import { writeTempJson } from '../../support/writeTempJson.ts';

const PASSWORD = 'pa:ss wörd-7c1e';
const TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const CLIENT_SECRET = 'cs-9f3b2a77d1';

const config = {
  parameterPrefix: '/token-broker/test',
  instances: [
    {
      name: 'cw',
      type: 'crisisworks',
      baseUrl: 'https://api.cw.example.org',
      site: 'sandbox',
      client: { uuid: 'https://ops.example.org', platform: 'Linux', name: 'tb', version: '1' },
    },
    { name: 'idp', type: 'oauth2-client-credentials', tokenUrl: 'https://idp.example.org/token' },
  ],
};

async function readSecretWithAwsCli(moto: Moto, secretId: string): Promise<unknown> {
  const output = (await awsCli(moto, [
    'secretsmanager',
    'get-secret-value',
    '--secret-id',
    secretId,
  ])) as {
    SecretString: string;
  };
  return JSON.parse(output.SecretString);
}

/** The secrets moto holds (with the SDK: the AWS CLI's start would cost a second each time). */
async function listSecrets(): Promise<unknown[]> {
  const secrets = new SecretsManagerClient({});
  try {
    return (await secrets.send(new ListSecretsCommand({}))).SecretList ?? [];
  } finally {
    secrets.destroy();
  }
}

describe('Command: put-credentials', () => {
  const moto = useMoto({ resetEach: true });
  let idp: FakeOAuth2Server;
  let configFile: string;
  before(async () => {
    idp = await startFakeOAuth2({ clientId: 'live', clientSecret: CLIENT_SECRET });
    configFile = await writeTempJson('config.json', {
      ...config,
      instances: [
        ...config.instances,
        { name: 'idp-live', type: 'oauth2-client-credentials', tokenUrl: idp.tokenUrl },
      ],
    });
  });
  after(async () => {
    await idp.close();
  });

  it('creates the secret from stdin and the AWS CLI reads back the same credentials', async () => {
    // Prepare
    const credentials = { username: 'api', password: PASSWORD, totpSecret: TOTP_SECRET };
    // Act
    const run = await runCli(['put-credentials', 'cw', '--config', configFile], {
      input: JSON.stringify(credentials),
      env: moto.env,
    });
    // Assess
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /created secret \/token-broker\/test\/cw for instance "cw"/);
    assert.deepEqual(await readSecretWithAwsCli(moto, '/token-broker/test/cw'), credentials);
    assert.ok(!`${run.stdout}${run.stderr}`.includes(PASSWORD));
  });

  it('updates an existing secret with a new version', async () => {
    // Prepare
    const first = { clientId: 'client-1', clientSecret: CLIENT_SECRET };
    const second = { clientId: 'client-1', clientSecret: `${CLIENT_SECRET}-rotated` };
    await runCli(['put-credentials', 'idp', '--config', configFile], {
      input: JSON.stringify(first),
      env: moto.env,
    });
    // Act
    const run = await runCli(['put-credentials', 'idp', '--config', configFile], {
      input: JSON.stringify(second),
      env: moto.env,
    });
    // Assess
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /updated secret/);
    assert.deepEqual(await readSecretWithAwsCli(moto, '/token-broker/test/idp'), second);
  });

  it('rejects credentials of the wrong shape, naming the instance and field but no value', async () => {
    // Act
    const run = await runCli(['put-credentials', 'idp', '--config', configFile], {
      input: JSON.stringify({ clientId: 'c', clientSecret: CLIENT_SECRET, password: PASSWORD }),
      env: moto.env,
    });
    // Assess
    assert.equal(run.code, 1);
    assert.match(
      run.stderr,
      /CredentialsFormatError: instance "idp": invalid credentials: \(root\): 1 unrecognised field\(s\)/,
    );
    assert.ok(!run.stderr.includes(CLIENT_SECRET) && !run.stderr.includes(PASSWORD));
  });

  it('rejects a TOTP seed that is not base32 before writing anything', async () => {
    // Act
    const run = await runCli(['put-credentials', 'cw', '--config', configFile], {
      input: JSON.stringify({
        username: 'api',
        password: PASSWORD,
        totpSecret: 'not-base32-at-all!1',
      }),
      env: moto.env,
    });
    // Assess
    assert.equal(run.code, 1);
    assert.match(run.stderr, /totpSecret: must be base32/);
    assert.deepEqual(await listSecrets(), []);
  });

  it("stores the instance's entry of a keyed file with --from-file", async () => {
    // Prepare
    const keyed = await writeTempJson('credentials.json', {
      cw: { username: 'api', password: PASSWORD },
      idp: { clientId: 'client-1', clientSecret: CLIENT_SECRET },
    });
    // Act
    const run = await runCli(
      ['put-credentials', 'idp', '--config', configFile, '--from-file', keyed],
      { env: moto.env },
    );
    // Assess
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(await readSecretWithAwsCli(moto, '/token-broker/test/idp'), {
      clientId: 'client-1',
      clientSecret: CLIENT_SECRET,
    });
  });

  it('exits 2 when the --from-file file has no entry for the instance', async () => {
    // Prepare
    const keyed = await writeTempJson('credentials.json', { cw: { username: 'a', password: 'b' } });
    // Act
    const run = await runCli(
      ['put-credentials', 'idp', '--config', configFile, '--from-file', keyed],
      { env: moto.env },
    );
    // Assess
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--from-file .*credentials\.json has no entry for instance "idp"/);
  });

  it('exits 2 saying "no input on stdin" when stdin is empty', async () => {
    // Act
    const run = await runCli(['put-credentials', 'idp', '--config', configFile], {
      input: '\n',
      env: moto.env,
    });
    // Assess
    assert.equal(run.code, 2);
    assert.match(
      run.stderr,
      /^token-broker put-credentials: no input on stdin: pipe the credentials JSON in, use --from-file FILE, or run on a terminal to be asked\n/,
    );
    assert.deepEqual(await listSecrets(), []);
  });

  it('exits 1 naming the instance and the secret when AWS cannot be reached', async () => {
    // Act
    const run = await runCli(['put-credentials', 'idp', '--config', configFile], {
      input: JSON.stringify({ clientId: 'c', clientSecret: CLIENT_SECRET }),
      env: { ...moto.env, AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_MAX_ATTEMPTS: '1' },
    });
    // Assess
    assert.equal(run.code, 1);
    assert.match(
      run.stderr,
      /^token-broker put-credentials: SecretWriteError: instance "idp": cannot write secret \/token-broker\/test\/idp: .*ECONNREFUSED/,
    );
    assert.equal(run.stderr.split('\n').length, 2, run.stderr);
    assert.ok(!run.stderr.includes(CLIENT_SECRET));
  });

  it('logs in first with --check and stores credentials that work', async () => {
    // Prepare
    const logins = idp.logins;
    // Act
    const run = await runCli(['put-credentials', 'idp-live', '--config', configFile, '--check'], {
      input: JSON.stringify({ clientId: 'live', clientSecret: CLIENT_SECRET }),
      env: moto.env,
    });
    // Assess
    assert.equal(run.code, 0, run.stderr);
    assert.equal(idp.logins, logins + 1);
    assert.match(run.stderr, /instance "idp-live": logged in with the new credentials/);
    assert.match(run.stdout, /created secret \/token-broker\/test\/idp-live/);
  });

  it('stores nothing with --check when the provider refuses the credentials', async () => {
    // Act
    const run = await runCli(['put-credentials', 'idp-live', '--config', configFile, '--check'], {
      input: JSON.stringify({ clientId: 'live', clientSecret: `${CLIENT_SECRET}-wrong` }),
      env: moto.env,
    });
    // Assess
    assert.equal(run.code, 1);
    assert.match(
      run.stderr,
      /^token-broker put-credentials: CredentialsCheckError: InvalidCredentialsError: instance "idp-live" \(oauth2-client-credentials\): .*; nothing was stored\n$/,
    );
    assert.ok(!run.stderr.includes(CLIENT_SECRET));
    assert.deepEqual(await listSecrets(), []);
  });

  it('refuses an unknown instance and lists the configured ones', async () => {
    // Act
    const run = await runCli(['put-credentials', 'nope', '--config', configFile], {
      env: moto.env,
    });
    // Assess
    assert.equal(run.code, 2);
    assert.match(
      run.stderr,
      /no instance "nope" in the configuration \(configured: cw, idp, idp-live\)/,
    );
  });

  it('prompts on a terminal without echoing the password or the TOTP seed', async () => {
    // Prepare: `script` gives the CLI a real pseudo-terminal; keystrokes are fed with pauses.
    const cli = fileURLToPath(new URL('../../../scripts/cli.ts', import.meta.url));
    const child = spawn(
      '/usr/bin/script',
      ['-qec', `${process.execPath} ${cli} put-credentials cw --config ${configFile}`, '/dev/null'],
      { env: { ...process.env, ...moto.env }, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let screen = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      screen += chunk;
    });
    const typeWhenAsked = async (prompt: string, keys: string) => {
      while (!screen.includes(prompt)) await new Promise((resolve) => setTimeout(resolve, 20));
      child.stdin.write(keys);
    };
    // Act
    await typeWhenAsked('username: ', 'api\r');
    await typeWhenAsked('password: ', `${PASSWORD}\r`);
    await typeWhenAsked('totpSecret (optional, Enter to skip): ', `${TOTP_SECRET}\r`);
    const code = await new Promise((resolve) => child.on('close', resolve));
    child.stdin.destroy();
    // Assess
    assert.equal(code, 0, screen);
    assert.match(screen, /created secret/);
    assert.ok(screen.includes('api'), 'the username is echoed');
    assert.ok(!screen.includes(PASSWORD), 'the password is not echoed');
    assert.ok(!screen.includes(TOTP_SECRET), 'the TOTP seed is not echoed');
    assert.deepEqual(await readSecretWithAwsCli(moto, '/token-broker/test/cw'), {
      username: 'api',
      password: PASSWORD,
      totpSecret: TOTP_SECRET,
    });
  });
});
