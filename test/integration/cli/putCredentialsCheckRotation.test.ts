import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  type FakeRotatingOAuth2Server,
  startFakeRotatingOAuth2,
} from '../../fakes/fakeRotatingOAuth2.ts';
import { useMoto } from '../../support/moto.ts';
import { runCli } from '../../support/runCli.ts';
import { writeTempJson } from '../../support/writeTempJson.ts';

describe('Command: put-credentials --check on a rotating refresh token', () => {
  const moto = useMoto();
  let rotating: FakeRotatingOAuth2Server;
  let configFile: string;
  before(async () => {
    rotating = await startFakeRotatingOAuth2({
      client: { clientId: 'app', clientSecret: 'rt-check-secret', clientAuth: 'basic' },
    });
    configFile = await writeTempJson('config.json', {
      parameterPrefix: '/token-broker/check',
      instances: [{ name: 'crm', type: 'oauth2-refresh-token', tokenUrl: rotating.tokenUrl }],
    });
  });
  after(async () => {
    await rotating.close();
  });

  it('stores the refresh token the check login rotated, not the one it spent', async () => {
    // Prepare
    const issued = rotating.issueRefreshToken();
    const input = JSON.stringify({
      clientId: 'app',
      clientSecret: 'rt-check-secret',
      refreshToken: issued,
    });
    const env = {
      ...moto.env,
      TOKEN_BROKER_STATE_DIR: await mkdtemp(join(tmpdir(), 'token-broker-check-')),
    };
    // Act
    const run = await runCli(['put-credentials', 'crm', '--config', configFile, '--check'], {
      input,
      env,
    });
    // Assess
    assert.equal(run.code, 0, run.stderr);
    const secret = await new SecretsManagerClient({}).send(
      new GetSecretValueCommand({ SecretId: '/token-broker/check/crm' }),
    );
    const stored = JSON.parse(secret.SecretString ?? '{}') as { refreshToken?: string };
    assert.notEqual(stored.refreshToken, issued, 'the spent token was not stored');
    assert.equal(stored.refreshToken, rotating.currentRefreshToken(issued));
    assert.ok(!`${run.stdout}${run.stderr}`.includes(issued));
  });
});
