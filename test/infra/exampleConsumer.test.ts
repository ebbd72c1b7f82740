import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { bundleLambda, packageFile } from '../../infra/components/index.ts';
import { ReaderEnvironment } from '../../lambdas/reader/constants.ts';
import type { TokenEnvelope } from '../../lambdas/reader/contract/index.ts';
import { type Moto, startMoto } from '../support/moto.ts';
import { type WrittenBundle, writeBundle } from './runBundle.ts';

describe('Bundle: the example consumer, reading a published token from moto', () => {
  let moto: Moto;
  let api: Server;
  let apiUrl: string;
  let bundle: WrittenBundle;
  const seen: IncomingHttpHeaders[] = [];
  const expiresAt = new Date(Date.now() + 3600_000).toISOString();

  before(async () => {
    moto = await startMoto();
    api = createServer((request, response) => {
      seen.push(request.headers);
      const authorised =
        request.headers.authorization === 'Bearer tok-123' &&
        request.headers['x-site'] === 'sandbox';
      response.writeHead(authorised ? 200 : 401).end();
    });
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
    const envelope: TokenEnvelope = {
      version: 1,
      name: 'api',
      provider: 'crisisworks',
      tokenType: 'Bearer',
      token: 'tok-123',
      issuedAt: new Date().toISOString(),
      expiresAt,
      refreshAt: new Date(Date.now() + 2400_000).toISOString(),
      baseUrl: apiUrl,
      headers: { 'X-Site': 'sandbox' },
    };
    const ssm = new SSMClient({});
    await ssm.send(
      new PutParameterCommand({
        Name: '/tb/consumer/api',
        Value: JSON.stringify(envelope),
        Type: 'SecureString',
      }),
    );
    ssm.destroy();
    bundle = await writeBundle(
      await bundleLambda(packageFile('infra/examples/consumerHandler.ts')),
    );
  });

  after(async () => {
    await bundle.remove();
    await new Promise((resolve) => api.close(resolve));
    await moto.stop();
  });

  const env = () => ({
    ...moto.env,
    [ReaderEnvironment.parameterPrefix]: '/tb/consumer',
    EXAMPLE_INSTANCE: 'api',
  });

  it('reads the token metadata of its default instance, never returning the token', async () => {
    const run = await bundle.invoke({}, env());
    assert.deepEqual(run.outcome, {
      result: { instance: 'api', tokenType: 'Bearer', expiresAt },
    });
    assert.ok(!run.stdout.includes('tok-123'));
  });

  it('calls the API with the Authorization and extra headers of the envelope', async () => {
    const run = await bundle.invoke({ path: '/api/json/item/id/1' }, env());
    assert.deepEqual(run.outcome, {
      result: { instance: 'api', tokenType: 'Bearer', expiresAt, status: 200 },
    });
    assert.equal(seen.at(-1)?.authorization, 'Bearer tok-123');
  });

  it('fails when no instance is named or configured', async () => {
    const run = await bundle.invoke({}, { ...env(), EXAMPLE_INSTANCE: '' });
    assert.ok('error' in run.outcome);
    assert.match(run.outcome.error.message, /EXAMPLE_INSTANCE/);
  });
});
