import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetParameterCommand, SSMClient, SSMServiceException } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import {
  GetTokenError,
  MalformedTokenError,
  TokenReader,
  TokenRefreshError,
} from '../../../lambdas/reader/index.ts';
import { RefresherInvoker } from '../../../lambdas/reader/RefresherInvoker.ts';
import { makeEnvelope } from '../../integration/reader/fixtures.ts';

function serviceError(name: string): SSMServiceException {
  return new SSMServiceException({
    name,
    $fault: 'client',
    $metadata: {},
    message: `${name} here`,
  });
}

describe('Class: TokenReader', () => {
  describe('Method: getToken', () => {
    it('throws GetTokenError with the SDK error as cause when SSM denies access', async () => {
      // Prepare
      const ssm = new SSMClient({ region: 'us-east-1' });
      const denied = serviceError('AccessDeniedException');
      mockClient(ssm).on(GetParameterCommand).rejects(denied);
      const reader = new TokenReader({ parameterPrefix: '/p', ssmClient: ssm });
      // Act & Assess
      await assert.rejects(reader.getToken('cw'), (error: unknown) => {
        assert.ok(error instanceof GetTokenError);
        assert.equal(error.name, 'GetTokenError');
        assert.equal(error.cause, denied);
        assert.match(error.message, /\/p\/cw.*AccessDeniedException: AccessDeniedException here/);
        return true;
      });
    });

    it('reads again after a throttled read instead of caching the failure', async () => {
      // Prepare
      const ssm = new SSMClient({ region: 'us-east-1' });
      mockClient(ssm)
        .on(GetParameterCommand)
        .rejectsOnce(serviceError('ThrottlingException'))
        .resolves({ Parameter: { Value: JSON.stringify(makeEnvelope('cw')) } });
      const reader = new TokenReader({ parameterPrefix: '/p', ssmClient: ssm });
      // Act
      const first = await reader.getToken('cw').catch((error: unknown) => error);
      const second = await reader.getToken('cw');
      // Assess
      assert.ok(first instanceof GetTokenError);
      assert.equal(second.name, 'cw');
    });

    it('throws MalformedTokenError when the parameter has no value', async () => {
      // Prepare
      const ssm = new SSMClient({ region: 'us-east-1' });
      mockClient(ssm).on(GetParameterCommand).resolves({ Parameter: {} });
      const reader = new TokenReader({ parameterPrefix: '/p', ssmClient: ssm });
      // Act & Assess
      await assert.rejects(reader.getToken('cw'), MalformedTokenError);
    });

    it('asks SSM to decrypt the parameter {prefix}/{name}', async () => {
      // Prepare
      const ssm = new SSMClient({ region: 'us-east-1' });
      const mock = mockClient(ssm);
      mock
        .on(GetParameterCommand)
        .resolves({ Parameter: { Value: JSON.stringify(makeEnvelope('cw')) } });
      // Act
      await new TokenReader({ parameterPrefix: '/a/b', ssmClient: ssm }).getToken('cw');
      // Assess
      assert.deepEqual(mock.commandCalls(GetParameterCommand)[0]?.args[0].input, {
        Name: '/a/b/cw',
        WithDecryption: true,
      });
    });
  });
});

describe('Class: RefresherInvoker', () => {
  describe('Method: refresh', () => {
    it('throws TokenRefreshError with the SDK error as cause when the invoke fails', async () => {
      // Prepare
      const lambda = new LambdaClient({ region: 'us-east-1' });
      const denied = new Error('not allowed to invoke');
      denied.name = 'AccessDeniedException';
      mockClient(lambda).on(InvokeCommand).rejects(denied);
      const invoker = new RefresherInvoker('refresher', 30, lambda);
      // Act & Assess
      await assert.rejects(invoker.refresh('cw'), (error: unknown) => {
        assert.ok(error instanceof TokenRefreshError);
        assert.equal(error.cause, denied);
        assert.match(error.message, /token "cw".*invoking refresher failed: AccessDeniedException/);
        return true;
      });
    });

    it('sends a synchronous invoke of {names: [name], force: true, onDemand: true}', async () => {
      // Prepare
      const lambda = new LambdaClient({ region: 'us-east-1' });
      const mock = mockClient(lambda);
      mock.on(InvokeCommand).resolves({ StatusCode: 200 });
      // Act
      const invoked = await new RefresherInvoker('arn:refresher', 30, lambda).refresh('cw');
      // Assess
      const input = mock.commandCalls(InvokeCommand)[0]?.args[0].input;
      assert.equal(invoked, true);
      assert.equal(input?.FunctionName, 'arn:refresher');
      assert.equal(input?.InvocationType, 'RequestResponse');
      assert.deepEqual(JSON.parse(new TextDecoder().decode(input?.Payload as Uint8Array)), {
        names: ['cw'],
        force: true,
        onDemand: true,
      });
    });

    it('returns false without invoking within the cooldown, per instance', async () => {
      // Prepare
      const lambda = new LambdaClient({ region: 'us-east-1' });
      const mock = mockClient(lambda);
      mock.on(InvokeCommand).resolves({ StatusCode: 200 });
      const invoker = new RefresherInvoker('refresher', 30, lambda);
      // Act
      const results = [
        await invoker.refresh('a'),
        await invoker.refresh('a'),
        await invoker.refresh('b'),
      ];
      // Assess
      assert.deepEqual(results, [true, false, true]);
      assert.equal(mock.commandCalls(InvokeCommand).length, 2);
    });
  });
});
