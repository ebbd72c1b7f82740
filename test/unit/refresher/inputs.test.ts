import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigError } from '../../../lambdas/config/index.ts';
import { RefreshEventError } from '../../../lambdas/refresher/errors.ts';
import { parseRefreshEvent } from '../../../lambdas/refresher/parseRefreshEvent.ts';
import { readRefresherEnvironment } from '../../../lambdas/refresher/readRefresherEnvironment.ts';
import { PREFIX } from '../../integration/refresher/fixtures.ts';

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
    [
      'neither configuration variable is set',
      {},
      /exactly one of TOKEN_BROKER_CONFIG and TOKEN_BROKER_CONFIG_FILE must be set \(neither are\)/,
    ],
    [
      'both configuration variables are set',
      { TOKEN_BROKER_CONFIG: CONFIG, TOKEN_BROKER_CONFIG_FILE: 'config.json' },
      /exactly one of TOKEN_BROKER_CONFIG and TOKEN_BROKER_CONFIG_FILE must be set \(both are\)/,
    ],
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

describe('Function: readRefresherEnvironment, configuration in a file', () => {
  let taskRoot: string;

  before(async () => {
    taskRoot = await mkdtemp(join(tmpdir(), 'token-broker-task-'));
    await writeFile(join(taskRoot, 'config.json'), CONFIG);
    await writeFile(join(taskRoot, 'broken.json'), '{"parameterPrefix": ');
    await writeFile(join(taskRoot, 'invalid.json'), CONFIG.replace(PREFIX, 'no-slash'));
  });
  after(async () => {
    await rm(taskRoot, { recursive: true, force: true });
  });

  it('reads the document from the file, relative to the task root', () => {
    // Act
    const settings = readRefresherEnvironment(
      { TOKEN_BROKER_CONFIG_FILE: 'config.json' },
      taskRoot,
    );
    // Assess
    assert.equal(settings.config.parameterPrefix, PREFIX);
    assert.deepEqual(
      settings.config.instances.map((instance) => instance.name),
      ['idp'],
    );
  });

  for (const [label, file, pattern] of [
    [
      'it is missing',
      'missing.json',
      /\(file .*missing\.json named by TOKEN_BROKER_CONFIG_FILE\): cannot be read \(ENOENT\)/,
    ],
    [
      'it is not JSON',
      'broken.json',
      /\(file .*broken\.json named by TOKEN_BROKER_CONFIG_FILE\): not valid JSON/,
    ],
    [
      'a field is invalid',
      'invalid.json',
      /\(file .*invalid\.json named by TOKEN_BROKER_CONFIG_FILE\): parameterPrefix: must be an SSM path/,
    ],
    [
      'its path leaves the task root',
      '../config.json',
      /TOKEN_BROKER_CONFIG_FILE must be a file path relative to the function's directory, inside it/,
    ],
    [
      'its path is absolute',
      '/etc/passwd',
      /TOKEN_BROKER_CONFIG_FILE must be a file path relative/,
    ],
    [
      'its path is the task root itself',
      '.',
      /TOKEN_BROKER_CONFIG_FILE must be a file path relative/,
    ],
  ] as const) {
    it(`throws a ConfigError naming the file when ${label}`, () => {
      // Act & Assess
      assert.throws(
        () => readRefresherEnvironment({ TOKEN_BROKER_CONFIG_FILE: file }, taskRoot),
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
