import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BrokerSettingsError,
  defaultMemoryMb,
  defaultScheduleSeconds,
  defaultTimeoutSeconds,
  MAX_INSTANCES,
  parseScheduleRate,
  parseStackConfig,
  resolveBrokerSettings,
} from '../../infra/settings/index.ts';
import { testKeyPair } from '../fakes/index.ts';
import { credentialValues, fourInstances, kmsKeyArn, threeCredentials } from './fixtures.ts';

const minimal = { parameterPrefix: '/tb/dev', instances: fourInstances };

/** `count` Code42 API-client instances with distinct names. */
function tenants(count: number) {
  return Array.from({ length: count }, (_, index) => ({
    ...fourInstances[1],
    name: `code42-tenant-${index}`,
  }));
}

function problemKeys(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof BrokerSettingsError, String(error));
    for (const value of Object.values(credentialValues)) {
      assert.ok(!error.message.includes(value), 'no credential value in an error');
    }
    return error.keys;
  }
  assert.fail('expected a BrokerSettingsError');
}

describe('Function: resolveBrokerSettings', () => {
  it('applies the defaults for four instances of the four types', () => {
    // Act
    const settings = resolveBrokerSettings(minimal);
    // Assess
    assert.equal(settings.scheduleSeconds, 60);
    assert.equal(settings.expiryAlarmSeconds, 60);
    assert.equal(settings.logRetentionDays, 30);
    assert.equal(settings.reservedConcurrency, 2);
    assert.equal(settings.secretRecoveryDays, 7);
    assert.equal(settings.refresherMemoryMb, 256);
    assert.equal(settings.refresherTimeoutSeconds, 95);
    assert.equal(settings.exampleConsumer, false);
    assert.deepEqual(settings.credentials, {});
    assert.equal(settings.kmsKeyArn, undefined);
  });

  it('keeps every override', () => {
    // Act
    const settings = resolveBrokerSettings({
      ...minimal,
      credentials: threeCredentials,
      scheduleRate: '2 minutes',
      kmsKeyArn,
      alarmEmail: 'ops@example.org',
      logRetentionDays: 90,
      refresherMemoryMb: 512,
      refresherTimeoutSeconds: 300,
      reservedConcurrency: -1,
      expiryAlarmSeconds: 600,
      secretRecoveryDays: 0,
      exampleConsumer: true,
    });
    // Assess
    assert.equal(settings.scheduleSeconds, 120);
    assert.equal(settings.kmsKeyArn, kmsKeyArn);
    assert.equal(settings.alarmEmail, 'ops@example.org');
    assert.equal(settings.refresherMemoryMb, 512);
    assert.equal(settings.refresherTimeoutSeconds, 300);
    assert.equal(settings.reservedConcurrency, -1);
    assert.equal(settings.expiryAlarmSeconds, 600);
    assert.equal(settings.secretRecoveryDays, 0);
    assert.equal(settings.exampleConsumer, true);
    assert.deepEqual(Object.keys(settings.credentials).sort(), ['c42-eu5', 'cw-sandbox', 'idp']);
  });

  it('defaults the state table from the prefix and keeps a named one', () => {
    // Act
    const derived = resolveBrokerSettings(minimal);
    const named = resolveBrokerSettings({ ...minimal, stateTable: 'shared.token-state' });
    // Assess
    assert.equal(derived.config.stateTable, 'tb-dev-state');
    assert.equal(named.config.stateTable, 'shared.token-state');
  });

  it('rejects a state table name DynamoDB would refuse, naming stateTable', () => {
    assert.deepEqual(
      problemKeys(() => resolveBrokerSettings({ ...minimal, stateTable: 'no spaces' })),
      ['stateTable'],
    );
  });

  it('names the instance field that is wrong', () => {
    // Act
    const keys = problemKeys(() =>
      resolveBrokerSettings({
        parameterPrefix: '/tb/dev',
        instances: [{ ...fourInstances[1], baseUrl: 'http://console.example.com' }],
      }),
    );
    // Assess
    assert.deepEqual(keys, ['instances[0].baseUrl']);
  });

  it('rejects a missing prefix and an empty instance list', () => {
    assert.deepEqual(
      problemKeys(() => resolveBrokerSettings({ instances: [] })),
      ['parameterPrefix', 'instances'],
    );
  });

  it('rejects duplicate instance names', () => {
    const keys = problemKeys(() =>
      resolveBrokerSettings({ ...minimal, instances: [fourInstances[1], fourInstances[1]] }),
    );
    assert.deepEqual(keys, ['instances[1].name']);
  });

  it('passes ssmThroughput into the configuration, and names the key when it is wrong', () => {
    // Act
    const higher = resolveBrokerSettings({ ...minimal, ssmThroughput: 'higher' });
    const keys = problemKeys(() => resolveBrokerSettings({ ...minimal, ssmThroughput: 'fast' }));
    // Assess
    assert.equal(higher.config.ssmThroughput, 'higher');
    assert.equal(resolveBrokerSettings(minimal).config.ssmThroughput, 'standard');
    assert.deepEqual(keys, ['ssmThroughput']);
  });

  it('rejects unknown settings by name', () => {
    assert.deepEqual(
      problemKeys(() => resolveBrokerSettings({ ...minimal, scheduelRate: '5 minutes' })),
      ['scheduelRate'],
    );
  });

  it('rejects credentials of the wrong shape without echoing them', () => {
    // Act
    const keys = problemKeys(() =>
      resolveBrokerSettings({
        ...minimal,
        credentials: {
          'cw-sandbox': { username: 'ops', passwrd: credentialValues.password },
          idp: { clientId: 'broker', clientSecret: credentialValues.clientSecret, extra: 1 },
        },
      }),
    );
    // Assess
    assert.deepEqual(keys, [
      'credentials.cw-sandbox.password',
      'credentials.cw-sandbox',
      'credentials.idp',
    ]);
  });

  it('counts unknown credentials fields without naming them: a pasted secret may be the key', () => {
    // Prepare
    const pasted = 'hunter2-pasted-secret';
    // Act & Assess
    assert.throws(
      () =>
        resolveBrokerSettings(
          { ...minimal, credentials: { idp: { ...threeCredentials.idp, [pasted]: 1 } } },
          'token-broker:',
        ),
      (error: unknown) =>
        error instanceof BrokerSettingsError &&
        error.message.includes('token-broker:credentials.idp: 1 unrecognised field(s)') &&
        !error.message.includes(pasted),
    );
  });

  it('rejects credentials for an unknown instance or one that reads an existing secret', () => {
    const keys = problemKeys(() =>
      resolveBrokerSettings({
        parameterPrefix: '/tb/dev',
        instances: [{ ...fourInstances[1], secretId: 'shared/code42' }],
        credentials: {
          'c42-eu5': threeCredentials['c42-eu5'],
          ghost: threeCredentials.idp,
        },
      }),
    );
    assert.deepEqual(keys, ['credentials.c42-eu5', 'credentials.ghost']);
  });

  for (const [key, value] of [
    ['scheduleRate', 'every 5 minutes'],
    ['scheduleRate', '30 seconds'],
    ['scheduleRate', '13 hours'],
    ['kmsKeyArn', 'alias/token-broker'],
    ['alarmEmail', 'ops'],
    ['logRetentionDays', 31],
    ['refresherMemoryMb', 64],
    ['refresherTimeoutSeconds', 901],
    ['reservedConcurrency', 0],
    ['expiryAlarmSeconds', 0],
    ['secretRecoveryDays', 3],
    ['exampleConsumer', 'yes'],
  ] as const) {
    it(`rejects ${key} = ${JSON.stringify(value)}`, () => {
      assert.deepEqual(
        problemKeys(() => resolveBrokerSettings({ ...minimal, [key]: value })),
        [key],
      );
    });
  }

  it('accepts 1,000 instances, sizing the refresher for them', () => {
    // Prepare
    const instances = tenants(1000);
    // Act
    const settings = resolveBrokerSettings({ ...minimal, instances });
    // Assess
    assert.equal(settings.config.instances.length, 1000);
    assert.equal(settings.refresherMemoryMb, 768);
    assert.equal(settings.refresherTimeoutSeconds, 715);
  });

  it(`rejects more than ${MAX_INSTANCES} instances, naming token-broker:instances`, () => {
    // Act
    const run = () =>
      resolveBrokerSettings({ ...minimal, instances: tenants(MAX_INSTANCES + 1) }, 'token-broker:');
    // Assess
    assert.deepEqual(problemKeys(run), ['token-broker:instances']);
    assert.throws(run, /token-broker:instances: lists 5001 instances, more than the 5000/);
  });
});

describe('Function: parseStackConfig', () => {
  const secretKeys = new Set(['token-broker:credentials']);

  it('decodes objects, numbers and booleans and ignores other namespaces', () => {
    // Act
    const settings = parseStackConfig({
      values: {
        'aws:region': 'us-east-1',
        'token-broker:parameterPrefix': '/tb/dev',
        'token-broker:instances': JSON.stringify(fourInstances),
        'token-broker:credentials': JSON.stringify(threeCredentials),
        'token-broker:scheduleRate': '5 minutes',
        'token-broker:logRetentionDays': '14',
        'token-broker:exampleConsumer': 'true',
      },
      secretKeys,
    });
    // Assess
    assert.equal(settings.config.parameterPrefix, '/tb/dev');
    assert.equal(settings.config.instances.length, 4);
    assert.equal(settings.scheduleSeconds, 300);
    assert.equal(settings.logRetentionDays, 14);
    assert.equal(settings.exampleConsumer, true);
    assert.equal(Object.keys(settings.credentials).length, 3);
  });

  it('names errors by their stack config key', () => {
    const keys = problemKeys(() =>
      parseStackConfig({
        values: {
          'token-broker:parameterPrefix': 'tb/dev',
          'token-broker:instances': JSON.stringify(fourInstances),
          'token-broker:alarmEmails': 'ops@example.org',
        },
        secretKeys,
      }),
    );
    assert.deepEqual(keys, ['token-broker:alarmEmails']);
    const prefixKeys = problemKeys(() =>
      parseStackConfig({
        values: {
          'token-broker:parameterPrefix': 'tb/dev',
          'token-broker:instances': JSON.stringify(fourInstances),
        },
        secretKeys,
      }),
    );
    assert.deepEqual(prefixKeys, ['token-broker:parameterPrefix']);
  });

  it('refuses credentials that are not a secret in the stack config', () => {
    const keys = problemKeys(() =>
      parseStackConfig({
        values: {
          'token-broker:parameterPrefix': '/tb/dev',
          'token-broker:instances': JSON.stringify(fourInstances),
          'token-broker:credentials': JSON.stringify(threeCredentials),
        },
        secretKeys: new Set(),
      }),
    );
    assert.deepEqual(keys, ['token-broker:credentials']);
  });
});

describe('Stack config: the refresh-token, private_key_jwt and http-json-login types', () => {
  const secretKeys = new Set(['token-broker:credentials']);
  const { privateKeyPem } = testKeyPair('ec');
  const instances = [
    {
      name: 'crm',
      type: 'oauth2-refresh-token',
      tokenUrl: 'https://idp.example.org/oauth2/token',
      authorizeUrl: 'https://idp.example.org/oauth2/authorize',
      redirectPort: 8765,
      clientAuth: 'none',
    },
    {
      name: 'idp-jwt',
      type: 'oauth2-client-credentials',
      tokenUrl: 'https://idp.example.org/oauth2/token',
      clientAuth: 'private_key_jwt',
    },
    {
      name: 'vendor-x',
      type: 'http-json-login',
      baseUrl: 'https://api.vendor-x.example',
      request: { path: '/api/login', json: { user: '{{username}}', pass: '{{password}}' } },
      response: { token: '/data/token', expiresIn: '/data/ttl' },
      apiHeaders: { 'X-Tenant': 'acme' },
    },
  ];
  const stack = (credentials: unknown) =>
    parseStackConfig({
      values: {
        'token-broker:parameterPrefix': '/tb/dev',
        'token-broker:instances': JSON.stringify(instances),
        'token-broker:credentials': JSON.stringify(credentials),
      },
      secretKeys,
    });

  it('passes pulumi up validation with their credentials, planning a 1 minute schedule', () => {
    // Act
    const settings = stack({
      'idp-jwt': { clientId: 'app', privateKey: privateKeyPem, keyId: 'k1' },
      'vendor-x': { username: 'u', password: credentialValues.password },
    });
    // Assess
    assert.deepEqual(
      settings.config.instances.map((instance) => instance.type),
      ['oauth2-refresh-token', 'oauth2-client-credentials', 'http-json-login'],
    );
    assert.equal(Object.keys(settings.credentials).length, 2);
    assert.equal(settings.scheduleSeconds, 60);
  });

  it('names the missing or bad credential field of each, never its value, and keeps refresh tokens out of the stack', () => {
    // Act
    const keys = problemKeys(() =>
      stack({
        crm: { clientId: 'app', refreshToken: credentialValues.password },
        'idp-jwt': { clientId: 'app', privateKey: credentialValues.password },
        'vendor-x': { username: 'u' },
      }),
    );
    // Assess
    assert.deepEqual(keys, [
      'token-broker:credentials.crm',
      'token-broker:credentials.idp-jwt.privateKey',
      'token-broker:credentials.vendor-x.password',
    ]);
  });
});

describe('Function: defaultScheduleSeconds', () => {
  it('keeps a third of the shortest planned lifetime, in whole minutes, at least one', () => {
    assert.equal(defaultScheduleSeconds(['crisisworks']), 1200);
    assert.equal(defaultScheduleSeconds(['crisisworks', 'code42-local-account']), 600);
    assert.equal(defaultScheduleSeconds(['code42-api-client']), 300);
    assert.equal(defaultScheduleSeconds(['oauth2-client-credentials', 'crisisworks']), 60);
  });
});

describe('Function: parseScheduleRate', () => {
  it('reads minutes and hours, with or without rate()', () => {
    assert.equal(parseScheduleRate('1 minute'), 60);
    assert.equal(parseScheduleRate('rate(10 minutes)'), 600);
    assert.equal(parseScheduleRate('2 hours'), 7200);
    assert.equal(parseScheduleRate('1 minutes'), undefined);
    assert.equal(parseScheduleRate('0 minutes'), undefined);
    assert.equal(parseScheduleRate('5 min'), undefined);
  });
});

describe('Function: default sizing', () => {
  it('grows memory and timeout with the instance count, within Lambda limits', () => {
    assert.equal(defaultTimeoutSeconds(1), 95);
    assert.equal(defaultTimeoutSeconds(1000), 715);
    assert.equal(defaultTimeoutSeconds(5000), 900);
    assert.equal(defaultMemoryMb(10), 256);
    assert.equal(defaultMemoryMb(1000), 768);
    assert.equal(defaultMemoryMb(100_000), 1024);
  });
});
