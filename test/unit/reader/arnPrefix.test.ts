import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ReaderConfigurationError } from '../../../lambdas/reader/errors.ts';
import {
  resolveTokenReaderOptions,
  type TokenReaderOptions,
} from '../../../lambdas/reader/TokenReaderOptions.ts';
import { withoutReaderEnvironment } from '../../support/readerEnvironment.ts';

const ARN_PREFIX = 'arn:aws:ssm:eu-west-1:123456789012:parameter/token-broker/prod';
const REFRESHER_ARN = 'arn:aws:lambda:eu-west-1:123456789012:function:token-broker-refresher';

describe('Function: resolveTokenReaderOptions (parameterArnPrefix)', () => {
  withoutReaderEnvironment();

  it('reads instances under the ARN prefix given as an option, with the refresher by ARN', () => {
    // Act
    const resolved = resolveTokenReaderOptions({
      parameterArnPrefix: ARN_PREFIX,
      refresherFunctionName: REFRESHER_ARN,
    });
    // Assess
    assert.equal(resolved.parameterPrefix, ARN_PREFIX);
    assert.equal(resolved.refresherFunctionName, REFRESHER_ARN);
  });

  it('takes the ARN prefix from TOKEN_BROKER_PARAMETER_ARN_PREFIX', () => {
    // Prepare
    process.env.TOKEN_BROKER_PARAMETER_ARN_PREFIX = ARN_PREFIX;
    process.env.TOKEN_BROKER_REFRESHER_FUNCTION = `${REFRESHER_ARN}:live`;
    // Act
    const resolved = resolveTokenReaderOptions();
    // Assess
    assert.equal(resolved.parameterPrefix, ARN_PREFIX);
    assert.equal(resolved.refresherFunctionName, `${REFRESHER_ARN}:live`);
  });

  it('lets an option win over the other kind of prefix in the environment', () => {
    // Prepare
    process.env.TOKEN_BROKER_PARAMETER_PREFIX = '/token-broker/dev';
    // Act
    const resolved = resolveTokenReaderOptions({ parameterArnPrefix: ARN_PREFIX });
    // Assess
    assert.equal(resolved.parameterPrefix, ARN_PREFIX);
  });

  it('throws ReaderConfigurationError when both options are given', () => {
    // Prepare: only a caller that casts past the type can pass both
    const both = { parameterPrefix: '/p', parameterArnPrefix: ARN_PREFIX } as unknown;
    // Act & Assess
    assert.throws(
      () => resolveTokenReaderOptions(both as TokenReaderOptions),
      (error: unknown) =>
        error instanceof ReaderConfigurationError && /not both/.test(error.message),
    );
  });

  it('throws ReaderConfigurationError naming both variables when both are set', () => {
    // Prepare
    process.env.TOKEN_BROKER_PARAMETER_PREFIX = '/token-broker/dev';
    process.env.TOKEN_BROKER_PARAMETER_ARN_PREFIX = ARN_PREFIX;
    // Act & Assess
    assert.throws(
      () => resolveTokenReaderOptions(),
      (error: unknown) =>
        error instanceof ReaderConfigurationError &&
        error.message.includes('TOKEN_BROKER_PARAMETER_PREFIX') &&
        error.message.includes('TOKEN_BROKER_PARAMETER_ARN_PREFIX'),
    );
  });

  for (const bad of [
    `${ARN_PREFIX}/`,
    'arn:aws:ssm:eu-west-1:123456789012:parameter',
    'arn:aws:ssm:eu-west-1:1234:parameter/token-broker',
    'arn:aws:secretsmanager:eu-west-1:123456789012:secret:/token-broker',
    '/token-broker/prod',
  ]) {
    it(`throws ReaderConfigurationError for the ARN prefix "${bad}"`, () => {
      // Act & Assess
      assert.throws(
        () => resolveTokenReaderOptions({ parameterArnPrefix: bad }),
        (error: unknown) =>
          error instanceof ReaderConfigurationError && error.message.includes(bad),
      );
    });
  }

  it('refuses a refresher given by name: it would invoke a function of the reader’s account', () => {
    // Act & Assess
    assert.throws(
      () =>
        resolveTokenReaderOptions({
          parameterArnPrefix: ARN_PREFIX,
          refresherFunctionName: 'token-broker-refresher',
        }),
      (error: unknown) =>
        error instanceof ReaderConfigurationError &&
        /must be a Lambda function ARN/.test(error.message),
    );
  });

  for (const [label, arn] of [
    ['another account', 'arn:aws:lambda:eu-west-1:999999999999:function:token-broker-refresher'],
    ['another region', 'arn:aws:lambda:us-east-1:123456789012:function:token-broker-refresher'],
  ] as const) {
    it(`refuses a refresher in ${label} than the parameters`, () => {
      // Act & Assess
      assert.throws(
        () =>
          resolveTokenReaderOptions({ parameterArnPrefix: ARN_PREFIX, refresherFunctionName: arn }),
        (error: unknown) =>
          error instanceof ReaderConfigurationError &&
          error.message.includes(arn) &&
          error.message.includes('(123456789012, eu-west-1)'),
      );
    });
  }

  it('still accepts a refresher by name with a plain prefix', () => {
    // Act
    const resolved = resolveTokenReaderOptions({
      parameterPrefix: '/token-broker/dev',
      refresherFunctionName: 'token-broker-refresher',
    });
    // Assess
    assert.equal(resolved.refresherFunctionName, 'token-broker-refresher');
  });
});
