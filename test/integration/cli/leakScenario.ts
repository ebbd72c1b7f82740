import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { inspect } from 'node:util';
import { loginInstance } from '../../../lambdas/providers/index.ts';
import {
  code42ApiClientInstance,
  code42LocalAccountInstance,
  crisisworksInstance,
  type FakeOAuth2Server,
  type FakeProviderServer,
  fastLoginOptions,
  oauth2Instance,
  randomTotpSeed,
  startFakeCode42,
  startFakeCrisisworks,
  startFakeOAuth2,
} from '../../fakes/index.ts';
import type { CliOptions, CliRun } from '../../support/runCli.ts';
import { writeTempJson } from '../../support/writeTempJson.ts';

const CW_PASSWORD = 'leak-cw-Pässword:1';
const C42_PASSWORD = 'leak-c42-Pass:wörd';
const C42_SECRET = 'leak-c42-client-secret';
const IDP_SECRET = 'leak-idp-secret+/%';
const WRONG_PASSWORD = 'leak-wrong-password-77';
const WRONG_SECRET = 'leak-wrong-client-secret';

/**
 * Runs every CLI path of the token and totp commands (successes and failures) against the fakes,
 * and every provider failure in-process, and checks that no output and no error (message, stack,
 * cause, properties) contains a password, client secret, TOTP seed, their Basic encodings, or an
 * issued token: a successful `token` run prints its token redacted.
 */
export function describeCliLeakTest(
  how: string,
  runCli: (args: readonly string[], options: CliOptions) => Promise<CliRun>,
): void {
  describe(`Leak test: CLI and provider output (${how})`, () => {
    const cwSeed = randomTotpSeed();
    const c42Seed = randomTotpSeed();
    const cliSeed = randomTotpSeed();
    /** A seed for wrong-password runs: the fake checks the password first, so any seed does. */
    const otherSeed = randomTotpSeed();
    const badSeed = randomTotpSeed();
    let cw: FakeProviderServer;
    let c42: FakeProviderServer;
    let idp: FakeOAuth2Server;
    let configFile: string;
    let credentialsFile: string;
    let env: Record<string, string>;
    const runs: { label: string; run: CliRun }[] = [];

    const secrets = () => {
      const plain = [
        CW_PASSWORD,
        C42_PASSWORD,
        C42_SECRET,
        IDP_SECRET,
        WRONG_PASSWORD,
        WRONG_SECRET,
        cwSeed,
        c42Seed,
        cliSeed,
        otherSeed,
        badSeed,
      ];
      const basic = [
        `admin:${C42_PASSWORD}`,
        `key-1:${C42_SECRET}`,
        `app:${IDP_SECRET}`,
        `admin:${WRONG_PASSWORD}`,
      ].map((pair) => Buffer.from(pair).toString('base64'));
      const tokens = [...cw.issuedTokens(), ...c42.issuedTokens(), ...idp.issuedTokens()];
      return [...plain, ...plain.map(encodeURIComponent), ...basic, ...tokens];
    };
    const record = async (label: string, args: string[], input?: string) => {
      const run = await runCli(args, { input, env });
      runs.push({ label, run });
      return run;
    };
    const token = (name: string, credentials = credentialsFile) =>
      record(`token ${name}`, [
        'token',
        name,
        '--config',
        configFile,
        '--credentials',
        credentials,
      ]);

    before(async () => {
      env = { TOKEN_BROKER_STATE_DIR: await mkdtemp(join(tmpdir(), 'token-broker-leak-')) };
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
      idp = await startFakeOAuth2({ clientId: 'app', clientSecret: IDP_SECRET });
      const client = {
        uuid: 'https://ops.example.org',
        platform: 'Linux',
        name: 'tb',
        version: '1',
      };
      configFile = await writeTempJson('config.json', {
        parameterPrefix: '/token-broker/leak',
        instances: [
          { name: 'cw', type: 'crisisworks', baseUrl: cw.url, site: 'sandbox', client },
          { name: 'cw-wrong', type: 'crisisworks', baseUrl: cw.url, site: 'sandbox', client },
          { name: 'cw-noseed', type: 'crisisworks', baseUrl: cw.url, site: 'sandbox', client },
          { name: 'c42', type: 'code42-api-client', baseUrl: c42.url },
          { name: 'c42-wrong', type: 'code42-api-client', baseUrl: c42.url },
          { name: 'c42-admin', type: 'code42-local-account', baseUrl: c42.url },
          { name: 'c42-nomfa', type: 'code42-local-account', baseUrl: c42.url },
          { name: 'c42-badpw', type: 'code42-local-account', baseUrl: c42.url },
          { name: 'idp', type: 'oauth2-client-credentials', tokenUrl: idp.tokenUrl },
          { name: 'idp-wrong', type: 'oauth2-client-credentials', tokenUrl: idp.tokenUrl },
          { name: 'idp-shape', type: 'oauth2-client-credentials', tokenUrl: idp.tokenUrl },
        ],
      });
      credentialsFile = await writeTempJson('credentials.json', {
        cw: { username: 'api', password: CW_PASSWORD, totpSecret: cwSeed },
        'cw-wrong': { username: 'api', password: WRONG_PASSWORD, totpSecret: otherSeed },
        'cw-noseed': { username: 'api', password: CW_PASSWORD },
        c42: { clientId: 'key-1', clientSecret: C42_SECRET },
        'c42-wrong': { clientId: 'key-1', clientSecret: WRONG_SECRET },
        'c42-admin': { username: 'admin', password: C42_PASSWORD, totpSecret: c42Seed },
        'c42-nomfa': { username: 'admin', password: C42_PASSWORD },
        'c42-badpw': { username: 'admin', password: WRONG_PASSWORD, totpSecret: badSeed },
        idp: { clientId: 'app', clientSecret: IDP_SECRET },
        'idp-wrong': { clientId: 'app', clientSecret: WRONG_SECRET },
        'idp-shape': { clientId: 'app', clientSecret: IDP_SECRET, password: CW_PASSWORD },
      });
    });
    after(async () => {
      await cw.close();
      await c42.close();
      await idp.close();
    });

    it('runs the token command through its successes and failures', async () => {
      // Act
      const succeeding = ['cw', 'c42', 'c42-admin', 'idp'];
      const failing = ['cw-wrong', 'c42-wrong', 'c42-nomfa', 'c42-badpw', 'idp-wrong', 'idp-shape'];
      const codes = await Promise.all(
        [...succeeding, ...failing].map(async (name) => (await token(name)).code),
      );
      assert.deepEqual(codes, [...succeeding.map(() => 0), ...failing.map(() => 1)]);
      idp.enqueue({
        status: 400,
        body: { error: 'invalid_request', error_description: `client_secret ${IDP_SECRET} is bad` },
      });
      assert.equal((await token('idp')).code, 1);
      cw.setMode('unavailable');
      assert.equal((await token('cw-noseed')).code, 1);
      cw.setMode('reject');
      assert.equal((await token('cw-noseed')).code, 1);
      cw.setMode('normal');
      const broken = await writeTempJson('broken.json', {});
      await writeFile(broken, `{"idp": {"clientId": "app", "clientSecret": "${IDP_SECRET}"`);
      assert.equal((await token('idp', broken)).code, 2);
      assert.equal((await record('token --help', ['token', '--help'])).code, 0);
      // Assess
      const redacted = runs.filter(({ run }) => / characters, redacted\)"/.test(run.stdout));
      assert.equal(redacted.length, 4);
    });

    it('runs the totp command through its successes and failures', async () => {
      // Act & Assess
      assert.equal((await record('totp', ['totp'], `${cliSeed}\n`)).code, 0);
      assert.equal((await record('totp argv', ['totp', cliSeed])).code, 2);
      assert.equal((await record('totp option', ['totp', `--seed=${cliSeed}`])).code, 2);
      assert.equal((await record('totp bad seed', ['totp'], `${cliSeed}01!\n`)).code, 1);
      assert.equal((await record('totp --help', ['totp', '--help'])).code, 0);
    });

    it('finds no secret and no foreign token in any captured output', () => {
      // Prepare
      const all = secrets();
      assert.ok(runs.length >= 20, `only ${runs.length} runs captured`);
      // Assess
      for (const { label, run } of runs) {
        const output = `${run.stdout}\n${run.stderr}`;
        for (const secret of all) {
          assert.ok(!output.includes(secret), `"${label}" printed a secret or token: ${output}`);
        }
      }
    });

    it('finds no secret in any provider error, its stack, cause or properties', async () => {
      // Prepare
      const failures: Promise<unknown>[] = [
        loginInstance(
          crisisworksInstance(cw.url, 'sandbox'),
          { username: 'api', password: WRONG_PASSWORD, totpSecret: cwSeed },
          fastLoginOptions(),
        ),
        loginInstance(
          code42ApiClientInstance(c42.url),
          { clientId: 'key-1', clientSecret: WRONG_SECRET },
          fastLoginOptions(),
        ),
        loginInstance(
          code42LocalAccountInstance(c42.url),
          { username: 'admin', password: C42_PASSWORD },
          fastLoginOptions(),
        ),
        loginInstance(
          oauth2Instance(idp.tokenUrl),
          { clientId: 'app', clientSecret: WRONG_SECRET },
          fastLoginOptions(),
        ),
        loginInstance(
          oauth2Instance(idp.tokenUrl),
          { clientId: 'app', clientSecret: IDP_SECRET, extra: C42_SECRET } as never,
          fastLoginOptions(),
        ),
        loginInstance(
          {
            ...oauth2Instance(idp.tokenUrl),
            tokenUrl: `https://app:${IDP_SECRET}@idp.example.org/t`,
          },
          { clientId: 'app', clientSecret: IDP_SECRET },
          fastLoginOptions(),
        ),
      ];
      const brokenToken = 'leak-token-in-a-broken-body';
      // Act
      const errors = await Promise.all(
        failures.map((failure) =>
          failure.then(
            () => undefined,
            (error) => error,
          ),
        ),
      );
      idp.enqueue({ status: 200, body: `access_token=${brokenToken}&token_type=bearer` });
      errors.push(
        await loginInstance(
          oauth2Instance(idp.tokenUrl),
          { clientId: 'app', clientSecret: IDP_SECRET },
          fastLoginOptions(),
        ).then(
          () => undefined,
          (error) => error,
        ),
      );
      // Assess
      assert.match(String(errors.at(-1)), /MalformedResponseError: .*not JSON/);
      const all = [...secrets(), brokenToken];
      for (const error of errors) {
        assert.ok(error instanceof Error, 'every login failed');
        const text = inspect(error, { depth: 10, showHidden: true });
        for (const secret of all) assert.ok(!text.includes(secret), `leaked in ${text}`);
      }
    });
  });
}
