import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { PENDING_TOKEN_VALUE } from '../../../lambdas/reader/contract/envelope.ts';
import type { RefreshEvent } from '../../../lambdas/reader/contract/refreshEvent.ts';
import {
  MalformedTokenError,
  TokenExpiredError,
  TokenNotFoundError,
  TokenNotPublishedError,
  TokenReader,
} from '../../../lambdas/reader/index.ts';
import { useMoto } from '../../support/moto.ts';
import { startFakeApi } from './fakeApi.ts';
import { startFakeRefresher } from './fakeRefresher.ts';
import { countSends, makeEnvelope, publish, TEST_PREFIX } from './fixtures.ts';

describe('Class: TokenReader', () => {
  useMoto({ resetEach: true });
  let ssm: SSMClient;
  let sends: ReturnType<typeof countSends>;
  let reader: TokenReader;

  beforeEach(async () => {
    ssm = new SSMClient({});
    sends = countSends(ssm);
    reader = new TokenReader({ parameterPrefix: TEST_PREFIX, ssmClient: ssm });
  });
  afterEach(() => {
    ssm.destroy();
  });

  describe('Method: getToken', () => {
    it('returns the published envelope when the parameter holds a valid one', async () => {
      // Prepare
      const envelope = makeEnvelope('cw-sandbox');
      await publish(ssm, 'cw-sandbox', envelope);
      // Act
      const read = await reader.getToken('cw-sandbox');
      // Assess
      assert.deepEqual(read, envelope);
    });

    it('serves later calls from the cache when the token is still valid', async () => {
      // Prepare
      await publish(ssm, 'cw-sandbox', makeEnvelope('cw-sandbox'));
      const before = sends.count('GetParameterCommand');
      // Act
      const first = await reader.getToken('cw-sandbox');
      const second = await reader.getToken('cw-sandbox');
      // Assess
      assert.equal(second, first);
      assert.equal(sends.count('GetParameterCommand') - before, 1);
    });

    it('returns a frozen envelope, so one caller cannot change what the next one gets', async () => {
      // Prepare
      await publish(ssm, 'cw-sandbox', makeEnvelope('cw-sandbox'));
      // Act
      const envelope = await reader.getToken('cw-sandbox');
      // Assess
      assert.ok(Object.isFrozen(envelope));
      assert.ok(Object.isFrozen(envelope.headers));
    });

    it('throws TokenNotFoundError naming the parameter when it does not exist', async () => {
      // Act & Assess
      await assert.rejects(reader.getToken('missing'), (error: unknown) => {
        assert.ok(error instanceof TokenNotFoundError);
        assert.equal(error.instance, 'missing');
        assert.equal(error.parameterName, `${TEST_PREFIX}/missing`);
        assert.match(error.message, /token "missing" \(parameter \/token-broker\/test\/missing\)/);
        return true;
      });
    });

    it('throws TokenNotPublishedError, a TokenNotFoundError, when the parameter is still pending', async () => {
      // Prepare
      await publish(ssm, 'fresh', PENDING_TOKEN_VALUE);
      // Act & Assess
      await assert.rejects(reader.getToken('fresh'), (error: unknown) => {
        assert.ok(error instanceof TokenNotPublishedError);
        assert.ok(error instanceof TokenNotFoundError);
        assert.match(error.message, /no token has been published yet/);
        return true;
      });
    });

    it('throws TokenExpiredError when the stored token has expired', async () => {
      // Prepare
      const issuedAt = new Date(Date.now() - 7200_000).toISOString();
      const expiresAt = new Date(Date.now() - 3600_000).toISOString();
      await publish(
        ssm,
        'stale',
        makeEnvelope('stale', { issuedAt, refreshAt: issuedAt, expiresAt }),
      );
      // Act & Assess
      await assert.rejects(reader.getToken('stale'), (error: unknown) => {
        assert.ok(error instanceof TokenExpiredError);
        assert.equal(error.expiresAt, expiresAt);
        return true;
      });
    });

    it('throws TokenExpiredError when the token expires within the minimum validity', async () => {
      // Prepare
      await publish(ssm, 'short', makeEnvelope('short', {}, 30));
      // Act & Assess
      await assert.rejects(reader.getToken('short'), TokenExpiredError);
      assert.equal((await reader.getToken('short', { minValiditySeconds: 10 })).name, 'short');
    });

    for (const [label, value, reason] of [
      ['the value is not JSON', 'eyJ-not-json SECRET', /not JSON/],
      ['a field is missing', JSON.stringify({ ...makeEnvelope('bad'), token: '' }), /"token"/],
      ['it is the token of another instance', JSON.stringify(makeEnvelope('other')), /"other"/],
    ] as const) {
      it(`throws MalformedTokenError when ${label}`, async () => {
        // Prepare
        await publish(ssm, 'bad', value);
        // Act & Assess
        await assert.rejects(reader.getToken('bad'), (error: unknown) => {
          assert.ok(error instanceof MalformedTokenError);
          assert.match(error.reason, reason);
          assert.doesNotMatch(error.message, /SECRET/);
          return true;
        });
      });
    }

    it('reads SSM again once the cached token reaches expiresAt minus the minimum validity', async (t) => {
      // Prepare
      t.mock.timers.enable({ apis: ['Date'], now: Date.now() });
      const first = makeEnvelope('cw', {}, 600);
      await publish(ssm, 'cw', first);
      await reader.getToken('cw');
      const second = makeEnvelope('cw', { token: 'second-token' }, 1200);
      await publish(ssm, 'cw', second);
      // Act
      t.mock.timers.tick((600 - 60 - 1) * 1000);
      const beforeLimit = await reader.getToken('cw');
      t.mock.timers.tick(1000);
      const atLimit = await reader.getToken('cw');
      // Assess
      assert.equal(beforeLimit.token, first.token);
      assert.equal(atLimit.token, 'second-token');
      assert.equal(sends.count('GetParameterCommand'), 2);
    });

    it('reads SSM when forceFetch is set even though the cached token is valid', async () => {
      // Prepare
      await publish(ssm, 'cw', makeEnvelope('cw'));
      await reader.getToken('cw');
      await publish(ssm, 'cw', makeEnvelope('cw', { token: 'rotated' }));
      // Act
      const cached = await reader.getToken('cw');
      const forced = await reader.getToken('cw', { forceFetch: true });
      const afterForced = await reader.getToken('cw');
      // Assess
      assert.notEqual(cached.token, 'rotated');
      assert.equal(forced.token, 'rotated');
      assert.equal(afterForced.token, 'rotated');
    });

    it('makes one SSM call when 100 callers miss the cache at once', async () => {
      // Prepare
      await publish(ssm, 'cw', makeEnvelope('cw'));
      const before = sends.count('GetParameterCommand');
      // Act
      const envelopes = await Promise.all(Array.from({ length: 100 }, () => reader.getToken('cw')));
      // Assess
      assert.equal(sends.count('GetParameterCommand') - before, 1);
      assert.equal(new Set(envelopes.map((envelope) => envelope.token)).size, 1);
    });

    it('shares one failure among concurrent callers and does not cache it', async () => {
      // Act
      const results = await Promise.allSettled([
        reader.getToken('later'),
        reader.getToken('later'),
      ]);
      await publish(ssm, 'later', makeEnvelope('later'));
      const retried = await reader.getToken('later');
      // Assess
      assert.deepEqual(
        results.map((result) => result.status),
        ['rejected', 'rejected'],
      );
      assert.equal(retried.name, 'later');
      assert.equal(sends.count('GetParameterCommand'), 2);
    });

    it('rejects a name that is not an instance name without calling SSM', async () => {
      // Act & Assess
      await assert.rejects(reader.getToken('../other/x'), TypeError);
      assert.equal(sends.count(), 0);
    });

    it('works with no options from the environment, at module scope (top-level await)', async () => {
      // Prepare
      await publish(ssm, 'cw', makeEnvelope('cw'));
      const script = [
        `import { getToken } from ${JSON.stringify(new URL('../../../lambdas/reader/index.ts', import.meta.url).href)};`,
        `const envelope = await getToken('cw');`,
        'export const handler = async () => envelope.name;',
        'console.log(await handler());',
      ].join('\n');
      // Act
      const stdout = await new Promise<string>((resolve, reject) => {
        execFile(
          process.execPath,
          ['--input-type=module', '-e', script],
          { env: { ...process.env, TOKEN_BROKER_PARAMETER_PREFIX: TEST_PREFIX } },
          (error, out) => (error ? reject(error) : resolve(out)),
        );
      });
      // Assess
      assert.equal(stdout.trim(), 'cw');
    });
  });

  describe('Option: parameterArnPrefix (a broker in another account)', () => {
    /** The account and region moto answers as: the broker's, whose parameters are named by ARN. */
    const BROKER_ARN_PREFIX = `arn:aws:ssm:us-east-1:123456789012:parameter${TEST_PREFIX}`;
    const REFRESHER_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:token-broker-refresher';

    it('moto itself answers a GetParameter whose Name is the full ARN', async () => {
      // Prepare
      await publish(ssm, 'idp', makeEnvelope('idp'));
      // Act
      const output = await ssm.send(
        new GetParameterCommand({ Name: `${BROKER_ARN_PREFIX}/idp`, WithDecryption: true }),
      );
      // Assess
      assert.equal(output.Parameter?.Name, `${TEST_PREFIX}/idp`);
    });

    it('reads the envelope by its full ARN', async () => {
      // Prepare
      const envelope = makeEnvelope('idp');
      await publish(ssm, 'idp', envelope);
      const reader = new TokenReader({ parameterArnPrefix: BROKER_ARN_PREFIX, ssmClient: ssm });
      // Act
      const read = await reader.getToken('idp');
      // Assess
      assert.deepEqual(read, envelope);
      assert.deepEqual(sends.names('GetParameterCommand'), [`${BROKER_ARN_PREFIX}/idp`]);
    });

    it('throws TokenNotFoundError naming the ARN when the parameter is not shared with it', async () => {
      // Prepare: the same name, in an account moto does not hold
      await publish(ssm, 'idp', makeEnvelope('idp'));
      const elsewhere = `arn:aws:ssm:us-east-1:999999999999:parameter${TEST_PREFIX}`;
      const reader = new TokenReader({ parameterArnPrefix: elsewhere, ssmClient: ssm });
      // Act & Assess
      await assert.rejects(reader.getToken('idp'), (error: unknown) => {
        assert.ok(error instanceof TokenNotFoundError);
        assert.equal(error.parameterName, `${elsewhere}/idp`);
        assert.match(error.message, /arn:aws:ssm:us-east-1:999999999999:parameter/);
        return true;
      });
    });

    it('after a 401 invokes the refresher by its ARN, once per cooldown, and reads by ARN again', async (t) => {
      // Prepare: an API that takes one token at a time, and a refresher that publishes a new one
      const api = await startFakeApi();
      const refresher = await startFakeRefresher(async (event: RefreshEvent) => {
        for (const name of event.names ?? []) {
          await publish(
            ssm,
            name,
            makeEnvelope(name, { token: `renewed-${name}`, baseUrl: api.url }),
          );
          api.accept(`renewed-${name}`);
        }
      });
      const lambda = new LambdaClient({ endpoint: refresher.url });
      t.after(async () => {
        lambda.destroy();
        await Promise.all([api.close(), refresher.close()]);
      });
      await publish(ssm, 'idp', makeEnvelope('idp', { token: 'first', baseUrl: api.url }));
      api.accept('revoked');
      const reader = new TokenReader({
        parameterArnPrefix: BROKER_ARN_PREFIX,
        ssmClient: ssm,
        refresherFunctionName: REFRESHER_ARN,
        lambdaClient: lambda,
      });
      // Act
      const renewed = await reader.fetchWithToken('idp', '/x');
      api.accept('revoked-again');
      const insideCooldown = await reader.fetchWithToken('idp', '/x');
      // Assess
      assert.equal(renewed.status, 200);
      assert.equal(insideCooldown.status, 401);
      assert.deepEqual(refresher.functionNames, [REFRESHER_ARN]);
      assert.deepEqual(refresher.events, [{ names: ['idp'], force: true, onDemand: true }]);
      const names = sends.names('GetParameterCommand');
      assert.ok(names.length >= 2);
      assert.ok(names.every((name) => name === `${BROKER_ARN_PREFIX}/idp`));
    });
  });
});
