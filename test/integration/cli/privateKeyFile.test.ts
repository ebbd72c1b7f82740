import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { before, describe, it } from 'node:test';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { testKeyPair } from '../../fakes/index.ts';
import { useMoto } from '../../support/moto.ts';
import { runCli } from '../../support/runCli.ts';
import { writeTempJson } from '../../support/writeTempJson.ts';

describe('Command: put-credentials --private-key-file', () => {
  const moto = useMoto();
  let configFile: string;
  before(async () => {
    configFile = await writeTempJson('config.json', {
      parameterPrefix: '/token-broker/test',
      instances: [
        {
          name: 'idp',
          type: 'oauth2-client-credentials',
          tokenUrl: 'https://idp.example.org/token',
          clientAuth: 'private_key_jwt',
        },
      ],
    });
  });

  it('stores the PEM read from the file beside the stdin fields', async () => {
    // Prepare
    const { privateKeyPem } = testKeyPair('ec');
    const keyFile = await writeTempJson('key.pem', {});
    await writeFile(keyFile, privateKeyPem);
    // Act
    const run = await runCli(
      ['put-credentials', 'idp', '--config', configFile, '--private-key-file', keyFile],
      { input: JSON.stringify({ clientId: 'app', keyId: 'k1' }), env: moto.env },
    );
    // Assess
    assert.equal(run.code, 0, run.stderr);
    const output = await new SecretsManagerClient({}).send(
      new GetSecretValueCommand({ SecretId: '/token-broker/test/idp' }),
    );
    assert.deepEqual(JSON.parse(output.SecretString ?? '{}'), {
      clientId: 'app',
      keyId: 'k1',
      privateKey: privateKeyPem,
    });
    assert.ok(!`${run.stdout}${run.stderr}`.includes(privateKeyPem.split('\n')[1] ?? 'x'));
  });

  it('refuses a file that holds no usable key, naming the field and never its content', async () => {
    // Prepare
    const keyFile = await writeTempJson('bad.pem', {});
    await writeFile(
      keyFile,
      '-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWJ5dGVz\n-----END PRIVATE KEY-----\n',
    );
    // Act
    const run = await runCli(
      ['put-credentials', 'idp', '--config', configFile, '--private-key-file', keyFile],
      { input: '{"clientId": "app"}', env: moto.env },
    );
    // Assess
    assert.equal(run.code, 1);
    assert.match(
      run.stderr,
      /instance "idp": invalid credentials: privateKey: must be an unencrypted PKCS#8 PEM/,
    );
    assert.ok(!run.stderr.includes('c2VjcmV0LWJ5dGVz'));
  });
});
