import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { SSMClient } from '@aws-sdk/client-ssm';
import { ReaderDefaults } from '../../../lambdas/reader/constants.ts';
import { getToken } from '../../../lambdas/reader/defaultReader.ts';
import { getSecondsFromEnv, getStringFromEnv } from '../../../lambdas/reader/envVariables.ts';
import { ReaderConfigurationError } from '../../../lambdas/reader/errors.ts';
import { resolveTokenReaderOptions } from '../../../lambdas/reader/TokenReaderOptions.ts';
import { withoutReaderEnvironment } from '../../support/readerEnvironment.ts';

describe('Function: resolveTokenReaderOptions', () => {
  withoutReaderEnvironment();

  it('applies the defaults when only the prefix is given', () => {
    // Act
    const resolved = resolveTokenReaderOptions({ parameterPrefix: '/token-broker/dev' });
    // Assess
    assert.equal(resolved.minValiditySeconds, ReaderDefaults.minValiditySeconds);
    assert.equal(resolved.minValiditySeconds, 60);
    assert.equal(resolved.refreshCooldownSeconds, 30);
    assert.equal(resolved.refresherFunctionName, undefined);
    assert.ok(resolved.ssmClient instanceof SSMClient);
  });

  it('takes the prefix, minimum validity and refresher from the environment when options leave them out', () => {
    // Prepare
    process.env.TOKEN_BROKER_PARAMETER_PREFIX = '/token-broker/prod';
    process.env.TOKEN_BROKER_MIN_VALIDITY_SECONDS = '120';
    process.env.TOKEN_BROKER_REFRESHER_FUNCTION = 'token-broker-refresher';
    // Act
    const resolved = resolveTokenReaderOptions();
    // Assess
    assert.equal(resolved.parameterPrefix, '/token-broker/prod');
    assert.equal(resolved.minValiditySeconds, 120);
    assert.equal(resolved.refresherFunctionName, 'token-broker-refresher');
  });

  it('prefers options to the environment', () => {
    // Prepare
    process.env.TOKEN_BROKER_PARAMETER_PREFIX = '/from/env';
    process.env.TOKEN_BROKER_MIN_VALIDITY_SECONDS = '120';
    const ssmClient = new SSMClient({});
    // Act
    const resolved = resolveTokenReaderOptions({
      parameterPrefix: '/from/options',
      minValiditySeconds: 0,
      ssmClient,
    });
    // Assess
    assert.equal(resolved.parameterPrefix, '/from/options');
    assert.equal(resolved.minValiditySeconds, 0);
    assert.equal(resolved.ssmClient, ssmClient);
  });

  it('throws ReaderConfigurationError naming the variable when no prefix is configured', () => {
    // Act & Assess
    assert.throws(
      () => resolveTokenReaderOptions(),
      (error: unknown) =>
        error instanceof ReaderConfigurationError &&
        error.message.includes('TOKEN_BROKER_PARAMETER_PREFIX'),
    );
  });

  for (const prefix of ['token-broker', '/token-broker/', '/a b', '/']) {
    it(`throws ReaderConfigurationError when the prefix is "${prefix}"`, () => {
      // Act & Assess
      assert.throws(
        () => resolveTokenReaderOptions({ parameterPrefix: prefix }),
        ReaderConfigurationError,
      );
    });
  }

  it('makes getToken reject, not throw, with ReaderConfigurationError when no prefix is configured', async () => {
    // Act
    const pending = getToken('cw');
    // Assess
    await assert.rejects(pending, ReaderConfigurationError);
  });

  it('takes allowedOrigins from the option, else from TOKEN_BROKER_ALLOWED_ORIGINS', () => {
    // Prepare
    process.env.TOKEN_BROKER_ALLOWED_ORIGINS = ' https://a.example.org , http://127.0.0.1:8080/ ';
    // Act
    const fromEnv = resolveTokenReaderOptions({ parameterPrefix: '/p' });
    const fromOption = resolveTokenReaderOptions({
      parameterPrefix: '/p',
      allowedOrigins: ['https://b.example.org/'],
    });
    delete process.env.TOKEN_BROKER_ALLOWED_ORIGINS;
    const unset = resolveTokenReaderOptions({ parameterPrefix: '/p' });
    // Assess
    assert.deepEqual(fromEnv.allowedOrigins, ['https://a.example.org', 'http://127.0.0.1:8080']);
    assert.deepEqual(fromOption.allowedOrigins, ['https://b.example.org']);
    assert.equal(unset.allowedOrigins, undefined);
  });

  for (const origin of [
    'api.example.org',
    'http://api.example.org',
    'https://api.example.org/path',
    'https://api.example.org?x=1',
    'https://u:p@api.example.org',
    'file:///etc',
  ]) {
    it(`throws ReaderConfigurationError for the allowed origin "${origin}"`, () => {
      // Act & Assess
      assert.throws(
        () => resolveTokenReaderOptions({ parameterPrefix: '/p', allowedOrigins: [origin] }),
        (error: unknown) =>
          error instanceof ReaderConfigurationError &&
          /^allowedOrigins\[0\] must be an origin such as https:\/\/api\.example\.org/.test(
            error.message,
          ) &&
          !error.message.includes('u:p'),
      );
    });
  }

  it('throws ReaderConfigurationError when a duration option is negative', () => {
    // Act & Assess
    assert.throws(
      () => resolveTokenReaderOptions({ parameterPrefix: '/p', refreshCooldownSeconds: -1 }),
      /refreshCooldownSeconds must be a number of seconds ≥ 0, got -1/,
    );
  });
});

describe('Function: getSecondsFromEnv', () => {
  const key = 'READER_TEST_SECONDS';
  afterEach(() => {
    delete process.env[key];
  });

  it('returns undefined when the variable is unset or blank', () => {
    // Prepare
    const unset = getSecondsFromEnv(key);
    process.env[key] = '  ';
    // Act
    const blank = getSecondsFromEnv(key);
    // Assess
    assert.equal(unset, undefined);
    assert.equal(blank, undefined);
  });

  it('parses a number of seconds', () => {
    // Prepare
    process.env[key] = '2.5';
    // Act & Assess
    assert.equal(getSecondsFromEnv(key), 2.5);
  });

  for (const bad of ['sixty', '-1', 'Infinity', '60s']) {
    it(`throws ReaderConfigurationError naming the variable when it is "${bad}"`, () => {
      // Prepare
      process.env[key] = bad;
      // Act & Assess
      assert.throws(
        () => getSecondsFromEnv(key),
        (error: unknown) =>
          error instanceof ReaderConfigurationError && error.message.includes(key),
      );
    });
  }
});

describe('Function: getStringFromEnv', () => {
  const key = 'READER_TEST_STRING';
  afterEach(() => {
    delete process.env[key];
  });

  it('returns the trimmed value when the variable is set', () => {
    // Prepare
    process.env[key] = ' value ';
    // Act & Assess
    assert.equal(getStringFromEnv(key), 'value');
  });
});
