import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { inspect } from 'node:util';
import { Logger } from '@aws-lambda-powertools/logger';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { parseBrokerConfig, pemBodyParts } from '../../../lambdas/config/index.ts';
import { loginInstance } from '../../../lambdas/providers/index.ts';
import { parseEnvelopeJson } from '../../../lambdas/reader/contract/index.ts';
import { runRefreshCycle } from '../../../lambdas/refresher/index.ts';
import {
  type FakeOAuth2Server,
  type FakeProviderServer,
  type FakeRotatingOAuth2Server,
  fastLoginOptions,
  httpJsonLoginInstance,
  oauth2Instance,
  refreshTokenInstance,
  startFakeOAuth2,
  startFakeRotatingOAuth2,
  startFakeServer,
  testKeyPair,
} from '../../fakes/index.ts';
import { useMoto } from '../../support/moto.ts';
import type { CliOptions, CliRun } from '../../support/runCli.ts';
import { writeTempJson } from '../../support/writeTempJson.ts';
import { captureConsole, createStateTable, PREFIX, seedSecrets } from '../refresher/fixtures.ts';

const RT_SECRET = 'leak-rt-client-secret';
const VENDOR_PASSWORD = 'leak-vendor-pässword';

/**
 * The new login types' secrets (refresh tokens, private keys with their PEM base64 body, and an
 * http-json-login password) never reach the CLI's output, a provider error (message, stack,
 * cause, properties) or the refresher's logs and results, whatever succeeds or fails.
 */
export function describeLoginTypesLeakTest(
  how: string,
  runCli: (args: readonly string[], options: CliOptions) => Promise<CliRun>,
): void {
  describe(`Leak test: refresh tokens, private keys and declared logins (${how})`, () => {
    const key = testKeyPair('rsa');
    const wrongKey = testKeyPair('rsa');
    let rotating: FakeRotatingOAuth2Server;
    let jwtIdp: FakeOAuth2Server;
    let vendor: FakeProviderServer;
    let configFile: string;
    let credentialsFile: string;
    let firstRefreshToken: string;
    const runs: { label: string; run: CliRun }[] = [];

    const secrets = async () => {
      const file = JSON.parse(await readFile(credentialsFile, 'utf8')) as Record<
        string,
        Record<string, string>
      >;
      const keys = [key.privateKeyPem, wrongKey.privateKeyPem];
      return [
        RT_SECRET,
        VENDOR_PASSWORD,
        encodeURIComponent(VENDOR_PASSWORD),
        firstRefreshToken,
        file.crm?.refreshToken ?? 'none',
        rotating.currentRefreshToken(firstRefreshToken) ?? 'revoked',
        ...keys,
        ...keys.flatMap(pemBodyParts),
        ...keys.map((pem) => JSON.stringify(pem).slice(1, -1)),
      ];
    };
    const record = async (label: string, args: string[], input?: string) => {
      const run = await runCli(args, { input });
      runs.push({ label, run });
      return run;
    };

    before(async () => {
      rotating = await startFakeRotatingOAuth2({
        client: { clientId: 'app', clientSecret: RT_SECRET, clientAuth: 'basic' },
      });
      jwtIdp = await startFakeOAuth2({
        clientId: 'app',
        publicKey: key.publicKey,
        clientAuth: 'private_key_jwt',
      });
      // A vendor that refuses every login, echoing the request body it got.
      vendor = await startFakeServer((request) => ({
        status: 401,
        body: { message: `refused ${request.body}` },
      }));
      firstRefreshToken = rotating.issueRefreshToken();
      configFile = await writeTempJson('config.json', {
        parameterPrefix: '/token-broker/leak',
        instances: [
          { name: 'crm', type: 'oauth2-refresh-token', tokenUrl: rotating.tokenUrl },
          {
            name: 'jwt',
            type: 'oauth2-client-credentials',
            tokenUrl: jwtIdp.tokenUrl,
            clientAuth: 'private_key_jwt',
          },
          {
            name: 'jwt-wrong',
            type: 'oauth2-client-credentials',
            tokenUrl: jwtIdp.tokenUrl,
            clientAuth: 'private_key_jwt',
          },
          {
            name: 'vendor',
            type: 'http-json-login',
            baseUrl: vendor.url,
            request: { path: '/login', json: { user: '{{username}}', pass: '{{password}}' } },
            response: { token: '/token', errorMessage: '/message' },
          },
        ],
      });
      credentialsFile = await writeTempJson('credentials.json', {
        crm: { clientId: 'app', clientSecret: RT_SECRET, refreshToken: firstRefreshToken },
        jwt: { clientId: 'app', privateKey: key.privateKeyPem },
        'jwt-wrong': { clientId: 'app', privateKey: wrongKey.privateKeyPem },
        vendor: { username: 'u', password: VENDOR_PASSWORD },
      });
    });
    after(async () => {
      await rotating.close();
      await jwtIdp.close();
      await vendor.close();
    });

    it('runs token, put-credentials and their failures', async () => {
      // Act
      const token = (name: string) =>
        record(`token ${name}`, [
          'token',
          name,
          '--config',
          configFile,
          '--credentials',
          credentialsFile,
        ]);
      const first = await token('crm');
      const second = await token('crm');
      const jwt = await token('jwt');
      const wrong = await token('jwt-wrong');
      const declared = await token('vendor');
      const badPem = await record(
        'put-credentials bad PEM',
        ['put-credentials', 'jwt', '--config', configFile],
        JSON.stringify({ clientId: 'app', privateKey: key.privateKeyPem.replace('MII', 'MIX') }),
      );
      // Assess
      assert.deepEqual(
        [first, second, jwt, wrong, declared, badPem].map((run) => run.code),
        [0, 0, 0, 1, 1, 1],
      );
      assert.match(first.stderr, /instance "crm": stored the rotated refresh token in/);
      const stored = JSON.parse(await readFile(credentialsFile, 'utf8')).crm.refreshToken;
      assert.equal(rotating.currentRefreshToken(firstRefreshToken), stored, 'the file keeps up');
      assert.equal(rotating.revokedFamilies, 0);
      assert.match(badPem.stderr, /privateKey: must be an unencrypted PKCS#8 PEM private key/);
      assert.match(declared.stderr, /refused \{"user":"u","pass":"\[redacted\]"\}/);
    });

    it('finds no secret in any captured output', async () => {
      // Prepare
      const all = await secrets();
      // Assess
      for (const { label, run } of runs) {
        const parsed = parseEnvelopeJson(run.stdout);
        const output = `${run.stdout}\n${run.stderr}`;
        const checked = parsed.ok ? output.split(parsed.envelope.token).join('') : output;
        for (const secret of all)
          assert.ok(!checked.includes(secret), `"${label}" leaked: ${output}`);
      }
    });

    it('finds no secret in any provider error, its stack, cause or properties', async () => {
      // Prepare
      const revoked = rotating.issueRefreshToken();
      await loginInstance(
        refreshTokenInstance(rotating.tokenUrl),
        { clientId: 'app', clientSecret: RT_SECRET, refreshToken: revoked },
        fastLoginOptions(),
      );
      const failures = [
        loginInstance(
          refreshTokenInstance(rotating.tokenUrl),
          { clientId: 'app', clientSecret: RT_SECRET, refreshToken: revoked },
          fastLoginOptions(),
        ),
        loginInstance(
          oauth2Instance(jwtIdp.tokenUrl, { clientAuth: 'private_key_jwt' }),
          { clientId: 'app', privateKey: wrongKey.privateKeyPem },
          fastLoginOptions(),
        ),
        loginInstance(
          oauth2Instance(jwtIdp.tokenUrl, { clientAuth: 'private_key_jwt' }),
          { clientId: 'app', privateKey: 'not a key' },
          fastLoginOptions(),
        ),
        loginInstance(
          httpJsonLoginInstance(vendor.url, {
            request: { path: '/login', form: { p: '{{password}}' } },
            response: { token: '/token', errorMessage: '/message' },
          }),
          { password: VENDOR_PASSWORD },
          fastLoginOptions(),
        ),
      ];
      // Act
      const errors = await Promise.all(
        failures.map((failure) =>
          failure.then(
            () => undefined,
            (error) => error,
          ),
        ),
      );
      // Assess
      const all = [...(await secrets()), revoked];
      for (const error of errors) {
        assert.ok(error instanceof Error, 'every login failed');
        const text = inspect(error, { depth: 10, showHidden: true });
        for (const secret of all) assert.ok(!text.includes(secret), `leaked in ${text}`);
      }
    });

    describe('the refresher', () => {
      useMoto({ prepare: () => createStateTable() });

      it('logs and returns no refresh token or key, rotating or failing', async () => {
        // Prepare
        const refreshToken = rotating.issueRefreshToken();
        const config = parseBrokerConfig(
          {
            parameterPrefix: PREFIX,
            instances: [
              { name: 'crm', type: 'oauth2-refresh-token', tokenUrl: rotating.tokenUrl },
              {
                name: 'jwt-wrong',
                type: 'oauth2-client-credentials',
                tokenUrl: jwtIdp.tokenUrl,
                clientAuth: 'private_key_jwt',
              },
            ],
          },
          'test',
        );
        await seedSecrets(['crm', 'jwt-wrong'], (name) =>
          JSON.stringify(
            name === 'crm'
              ? { clientId: 'app', clientSecret: RT_SECRET, refreshToken }
              : { clientId: 'app', privateKey: wrongKey.privateKeyPem },
          ),
        );
        const captured = captureConsole();
        // Act
        let results: unknown;
        try {
          ({ results } = await runRefreshCycle(config, {
            ssm: new SSMClient({}),
            secretsManager: new SecretsManagerClient({}),
            login: (instance, credentials, options) =>
              loginInstance(instance, credentials, { ...options, sleep: async () => {} }),
            logger: new Logger({ logLevel: 'DEBUG' }),
          }));
        } finally {
          captured.restore();
        }
        // Assess
        const text = `${captured.lines.join('\n')}\n${JSON.stringify(results)}`;
        assert.match(text, /jwt-wrong/);
        const all = [
          ...(await secrets()),
          refreshToken,
          rotating.currentRefreshToken(refreshToken) ?? '',
        ];
        for (const secret of all)
          assert.ok(!text.includes(secret), `leaked: ${secret.slice(0, 8)}…`);
      });
    });
  });
}
