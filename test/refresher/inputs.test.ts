import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../lambdas/config/index.ts';
import { RefreshEventError } from '../../lambdas/refresher/errors.ts';
import { parseRefreshEvent } from '../../lambdas/refresher/parseRefreshEvent.ts';
import { readRefresherEnvironment } from '../../lambdas/refresher/readRefresherEnvironment.ts';
import { PREFIX } from './fixtures.ts';

const CONFIG = JSON.stringify({
  parameterPrefix: PREFIX,
  instances: [
    { name: 'idp', type: 'oauth2-client-credentials', tokenUrl: 'https://idp.example.org/t' },
  ],
});

describe('Function: readRefresherEnvironment', () => {
  it('reads the configuration, the schedule and the KMS key', () => {
    // Act
    const settings = readRefresherEnvironment({
      TOKEN_BROKER_CONFIG: CONFIG,
      TOKEN_BROKER_SCHEDULE_SECONDS: '600',
      TOKEN_BROKER_KMS_KEY_ID: 'alias/tb',
    });
    // Assess
    assert.equal(settings.config.instances[0]?.name, 'idp');
    assert.equal(settings.scheduleSeconds, 600);
    assert.equal(settings.kmsKeyId, 'alias/tb');
  });

  it('defaults the schedule to 300 s and the KMS key to none', () => {
    // Act
    const settings = readRefresherEnvironment({ TOKEN_BROKER_CONFIG: CONFIG });
    // Assess
    assert.equal(settings.scheduleSeconds, 300);
    assert.equal('kmsKeyId' in settings, false);
  });

  for (const [label, env, pattern] of [
    ['the configuration is not set', {}, /TOKEN_BROKER_CONFIG is not set/],
    [
      'a configuration field is invalid',
      { TOKEN_BROKER_CONFIG: CONFIG.replace('https://idp', 'http://idp') },
      /environment variable TOKEN_BROKER_CONFIG.*instances\[0\]\.tokenUrl: must use https/,
    ],
    [
      'the schedule is not a number of seconds',
      { TOKEN_BROKER_CONFIG: CONFIG, TOKEN_BROKER_SCHEDULE_SECONDS: '5m' },
      /TOKEN_BROKER_SCHEDULE_SECONDS must be a whole number/,
    ],
  ] as const) {
    it(`throws a ConfigError naming the field when ${label}`, () => {
      // Act & Assess
      assert.throws(
        () => readRefresherEnvironment(env),
        (error: unknown) => error instanceof ConfigError && pattern.test(error.message),
      );
    });
  }
});

describe('Function: parseRefreshEvent', () => {
  it('reads a scheduled event as "every instance"', () => {
    // Act & Assess
    assert.deepEqual(
      parseRefreshEvent({ source: 'aws.scheduler', 'detail-type': 'Scheduled Event', detail: {} }),
      {},
    );
    assert.deepEqual(parseRefreshEvent({}), {});
    assert.deepEqual(parseRefreshEvent(undefined), {});
  });

  it('reads names and force from an on-demand event', () => {
    // Act & Assess
    assert.deepEqual(parseRefreshEvent({ names: ['a', 'b'], force: true }), {
      names: ['a', 'b'],
      force: true,
    });
  });

  for (const [label, event, pattern] of [
    ['a field is unknown', { name: 'a' }, /unknown event field\(s\): name/],
    ['names is not a list of names', { names: 'a' }, /"names" must be an array/],
    ['force is not a boolean', { force: 'yes' }, /"force" must be true or false/],
    ['the event is not an object', 'refresh', /must be an object/],
  ] as const) {
    it(`throws a RefreshEventError when ${label}`, () => {
      // Act & Assess
      assert.throws(
        () => parseRefreshEvent(event),
        (error: unknown) => error instanceof RefreshEventError && pattern.test(error.message),
      );
    });
  }
});
