import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseEnvelopeJson } from '../../../lambdas/reader/contract/index.ts';
import {
  type FakeOAuth2Server,
  type FakeProviderServer,
  randomTotpSeed,
  startFakeCode42,
  startFakeCrisisworks,
  startFakeOAuth2,
} from '../../fakes/index.ts';
import { spawnCli as runCli } from '../../support/runCli.ts';
import { writeTempJson } from '../../support/writeTempJson.ts';

const CW_PASSWORD = 'cw-Pa55:wörd';
const C42_SECRET = 'c42-client-S3cret';
const C42_PASSWORD = 'admin:pässword-9';
const IDP_SECRET = 'idp-S3cret+/=';

describe('Command: token', () => {
  const cwSeed = randomTotpSeed();
  const c42Seed = randomTotpSeed();
  let cw: FakeProviderServer;
  let c42: FakeProviderServer;
  let idp: FakeOAuth2Server;
  let configFile: string;
  let nothingThere: string;
  let credentialsFile: string;
  const credentials = {
    cw: { username: 'api', password: CW_PASSWORD, totpSecret: cwSeed },
    'cw-bad': { username: 'api', password: 'not-the-password' },
    c42: { clientId: 'key-1', clientSecret: C42_SECRET },
    'c42-admin': { username: 'admin', password: C42_PASSWORD, totpSecret: c42Seed },
    'c42-nomfa': { username: 'admin', password: C42_PASSWORD },
    idp: { clientId: 'app', clientSecret: IDP_SECRET },
    'idp-wrong-shape': { username: 'app', password: IDP_SECRET },
  };
  let env: Record<string, string>;
  const token = (
    name: string,
    files = { config: configFile, credentials: credentialsFile },
    extra: readonly string[] = [],
  ) =>
    runCli(
      ['token', name, '--config', files.config, '--credentials', files.credentials, ...extra],
      { env },
    );

  before(async () => {
    env = { TOKEN_BROKER_STATE_DIR: await mkdtemp(join(tmpdir(), 'token-broker-state-')) };
    const closed = await startFakeCode42({});
    await closed.close();
    nothingThere = closed.url;
    cw = await startFakeCrisisworks({
      site: 'sandbox',
      username: 'api',
      password: CW_PASSWORD,
      totpSecret: cwSeed,
    });
    c42 = await startFakeCode42({
      apiClients: [{ clientId: 'key-1', clientSecret: C42_SECRET }],
      localAccounts: [{ username: 'admin', password: C42_PASSWORD, totpSecret: c42Seed }],
    });
    idp = await startFakeOAuth2({ clientId: 'app', clientSecret: IDP_SECRET, clientAuth: 'post' });
    const client = { uuid: 'https://ops.example.org', platform: 'Linux', name: 'tb', version: '1' };
    configFile = await writeTempJson('config.json', {
      parameterPrefix: '/token-broker/test',
      instances: [
        { name: 'cw', type: 'crisisworks', baseUrl: cw.url, site: 'sandbox', client },
        { name: 'cw-bad', type: 'crisisworks', baseUrl: cw.url, site: 'sandbox', client },
        { name: 'c42', type: 'code42-api-client', baseUrl: c42.url },
        { name: 'c42-admin', type: 'code42-local-account', baseUrl: c42.url },
        { name: 'c42-nomfa', type: 'code42-local-account', baseUrl: c42.url },
        {
          name: 'idp',
          type: 'oauth2-client-credentials',
          tokenUrl: idp.tokenUrl,
          clientAuth: 'post',
          scope: 'read',
        },
        { name: 'idp-wrong-shape', type: 'oauth2-client-credentials', tokenUrl: idp.tokenUrl },
        { name: 'nothing-there', type: 'code42-api-client', baseUrl: nothingThere },
      ],
    });
    credentialsFile = await writeTempJson('credentials.json', {
      ...credentials,
      'nothing-there': { clientId: 'x', clientSecret: 'y' },
    });
  });
  after(async () => {
    await cw.close();
    await c42.close();
    await idp.close();
  });

  for (const [name, server] of [
    ['c42', () => c42],
    ['c42-admin', () => c42],
    ['idp', () => idp],
  ] as const) {
    it(`logs in to ${name} once and prints its envelope whole with --show-token`, async () => {
      // Prepare
      const logins = server().logins;
      // Act
      const run = await token(name, { config: configFile, credentials: credentialsFile }, [
        '--show-token',
      ]);
      // Assess
      assert.equal(run.code, 0, run.stderr);
      // Nothing on stderr, unless a TOTP login started with under 3 s left in its step and waited
      assert.match(
        run.stderr,
        /^(token-broker: instance "c42-admin": waiting \d+(\.\d)?s for the next TOTP step \(a code is never sent twice\)\n)?$/,
      );
      const parsed = parseEnvelopeJson(run.stdout);
      assert.ok(parsed.ok, run.stdout);
      assert.equal(parsed.envelope.name, name);
      assert.equal(parsed.envelope.token, server().issuedTokens().at(-1));
      assert.equal(server().logins, logins + 1);
    });
  }

  it('redacts the token by default: its ends, its length and its JWT claims', async () => {
    // Act
    const run = await token('c42-admin');
    // Assess
    assert.equal(run.code, 0, run.stderr);
    const printed = JSON.parse(run.stdout);
    const issued = c42.issuedTokens().at(-1) ?? '';
    assert.ok(!run.stdout.includes(issued), 'the token is not printed');
    assert.equal(
      printed.token,
      `${issued.slice(0, 4)}…${issued.slice(-4)} (${issued.length} characters, redacted)`,
    );
    assert.equal(printed.tokenClaims.exp, Date.parse(printed.expiresAt) / 1000);
    assert.equal(printed.name, 'c42-admin');
  });

  it('redacts an opaque token without claims', async () => {
    // Prepare
    const issued = 'opaque-0123456789-abcdefghij';
    idp.enqueue({
      status: 200,
      body: { access_token: issued, token_type: 'Bearer', expires_in: 300 },
    });
    // Act
    const run = await token('idp');
    // Assess
    assert.equal(run.code, 0, run.stderr);
    const printed = JSON.parse(run.stdout);
    assert.ok(!run.stdout.includes(issued));
    assert.match(
      printed.token,
      new RegExp(`^.{0,4}….{0,4} \\(${issued.length} characters, redacted\\)$`),
    );
    assert.equal(printed.tokenClaims, undefined);
  });

  it('exits 1 with LocalStateError, before any login, when the state directory is under a file', async () => {
    // Prepare
    const file = await writeTempJson('not-a-directory', {});
    const logins = cw.logins;
    // Act
    const run = await runCli(
      ['token', 'cw', '--config', configFile, '--credentials', credentialsFile],
      { env: { TOKEN_BROKER_STATE_DIR: join(file, 'state') } },
    );
    // Assess
    assert.equal(run.code, 1);
    assert.equal(
      run.stderr,
      `token-broker token: LocalStateError: cannot use the state directory ${join(file, 'state')} (ENOTDIR): set TOKEN_BROKER_STATE_DIR to a writable directory\n`,
    );
    assert.equal(cw.logins, logins);
  });

  it('logs in to cw twice, the second run waiting for the next TOTP step, not replaying', async () => {
    // Prepare
    const first = await token('cw', undefined, ['--show-token']);
    // Act
    const second = await runCli(
      ['token', 'cw', `--config=${configFile}`, `--credentials=${credentialsFile}`, '--show-token'],
      { env },
    );
    // Assess
    assert.equal(first.code, 0, first.stderr);
    assert.equal(second.code, 0, second.stderr);
    assert.match(
      second.stderr,
      /^token-broker: instance "cw": waiting \d+(\.\d)?s for the next TOTP step \(a code is never sent twice\)\n$/,
    );
    assert.deepEqual(
      [JSON.parse(first.stdout).token, JSON.parse(second.stdout).token],
      cw.issuedTokens(),
    );
    assert.deepEqual(JSON.parse(second.stdout).headers, { 'X-Site': 'sandbox' });
    const codes = cw.received().map((request) => JSON.parse(request.body).mfaCode);
    assert.equal(new Set(codes).size, codes.length, 'no code was sent twice');
    const state = await readFile(join(env.TOKEN_BROKER_STATE_DIR ?? '', 'totp-steps.json'), 'utf8');
    assert.ok(!state.includes(cwSeed), 'the state file holds digests, not seeds');
  });

  const failures: [string, string, RegExp][] = [
    [
      'cw-bad',
      'the password is wrong',
      /^token-broker token: InvalidCredentialsError: instance "cw-bad" \(crisisworks\): the credentials were refused \(HTTP 401\): Invalid user, password or mfaCode\n$/,
    ],
    [
      'c42-nomfa',
      'the account needs a TOTP code',
      /^token-broker token: MfaRequiredError: instance "c42-nomfa" \(code42-local-account\): the account requires a TOTP code/,
    ],
    [
      'idp-wrong-shape',
      'the credentials have the wrong shape',
      /^token-broker token: CredentialsFormatError: instance "idp-wrong-shape": invalid credentials: .*clientId/,
    ],
    [
      'nothing-there',
      'nothing listens at the endpoint',
      /^token-broker token: ProviderUnavailableError: instance "nothing-there" \(code42-api-client\): cannot reach http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\) \(3 attempt\(s\)\)\n$/,
    ],
  ];
  for (const [name, what, message] of failures) {
    it(`exits 1 with a one-line reason when ${what}`, async () => {
      // Act
      const run = await token(name);
      // Assess
      assert.equal(run.code, 1);
      assert.equal(run.stdout, '');
      const [reason, ...progress] = run.stderr.trimEnd().split('\n').reverse();
      assert.match(`${reason}\n`, message);
      for (const line of progress) {
        assert.match(line, new RegExp(`^token-broker: instance "${name}": .*retrying in \\d`));
      }
    });
  }

  it('exits 1 with ProviderUnavailableError when the provider answers 503', async () => {
    // Prepare
    idp.setMode('unavailable');
    try {
      // Act
      const run = await token('idp');
      // Assess
      assert.equal(run.code, 1);
      assert.match(
        run.stderr,
        /ProviderUnavailableError: .*unavailable \(HTTP 503 after 3 attempt\(s\)\)/,
      );
      assert.equal(run.stderr.match(/: instance "idp": .* retrying in \d/g)?.length, 2);
    } finally {
      idp.setMode('normal');
    }
  });

  it('exits 2 naming the configured instances when NAME is unknown', async () => {
    // Act
    const run = await token('nope');
    // Assess
    assert.equal(run.code, 2);
    assert.match(run.stderr, /no instance "nope" in the configuration \(configured: cw, cw-bad, /);
    assert.doesNotMatch(run.stderr, /did you mean/);
  });

  it('exits 2 suggesting the instance an unknown NAME resembles', async () => {
    // Act
    const run = await token('c42-admn');
    // Assess
    assert.equal(run.code, 2);
    assert.match(run.stderr, /no instance "c42-admn" .*\); did you mean "c42-admin"\?\n/);
  });

  it('exits 2 when the credentials file has no entry for the instance', async () => {
    // Prepare
    const partial = await writeTempJson('partial.json', { idp: credentials.idp });
    // Act
    const run = await token('cw', { config: configFile, credentials: partial });
    // Assess
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--credentials .*partial\.json has no entry for instance "cw"/);
  });

  it('exits 2 without quoting the file when the credentials file is not JSON', async () => {
    // Prepare
    const broken = await writeTempJson('broken.json', {});
    await writeFile(broken, `{"idp": {"clientId": "app", "clientSecret": "${IDP_SECRET}"`);
    // Act
    const run = await token('idp', { config: configFile, credentials: broken });
    // Assess
    assert.equal(run.code, 2);
    assert.match(run.stderr, /broken\.json is not valid JSON/);
    assert.ok(!run.stderr.includes(IDP_SECRET));
  });

  it('exits 2 when the credentials file is an array', async () => {
    // Prepare
    const array = await writeTempJson('array.json', [credentials.idp]);
    // Act
    const run = await token('idp', { config: configFile, credentials: array });
    // Assess
    assert.equal(run.code, 2);
    assert.match(run.stderr, /must be a JSON object keyed by instance name/);
  });

  it('exits 2 when the credentials file cannot be read', async () => {
    // Act
    const run = await token('idp', { config: configFile, credentials: '/nonexistent/creds.json' });
    // Assess
    assert.equal(run.code, 2);
    assert.match(run.stderr, /cannot read --credentials \/nonexistent\/creds\.json: ENOENT/);
  });

  for (const [args, message] of [
    [
      ['token', '--config', 'c.json', '--credentials', 'k.json'],
      /expected exactly one instance NAME/,
    ],
    [
      ['token', 'a', 'b', '--config', 'c.json', '--credentials', 'k.json'],
      /expected exactly one instance NAME/,
    ],
    [['token', 'idp', '--credentials', 'k.json'], /--config FILE is required/],
    [['token', 'idp', '--config', 'c.json'], /--credentials FILE is required/],
    [['token', 'idp', '--password', 'x'], /Unknown option '--password'\n/],
    [
      ['token', 'idp', '--credential', 'k.json'],
      /Unknown option '--credential' \(did you mean "--credentials"\?\)/,
    ],
  ] as const) {
    it(`exits 2 with a usage hint for: ${args.slice(1).join(' ')}`, async () => {
      // Act
      const run = await runCli(args);
      // Assess
      assert.equal(run.code, 2);
      assert.match(run.stderr, message);
      assert.match(run.stderr, /Run "token-broker token --help"\./);
    });
  }

  it('prints its help with --help', async () => {
    // Act
    const run = await runCli(['token', '--help']);
    // Assess
    assert.equal(run.code, 0);
    assert.match(run.stdout, /^Usage: token-broker token NAME --config FILE --credentials FILE/);
    assert.match(run.stdout, /keyed by instance name/);
  });
});
