import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ConfigError,
  parseBrokerConfig,
  parseBrokerConfigJson,
} from '../../../lambdas/config/index.ts';

/** The README's example configuration document. */
const DESIGN_EXAMPLE = {
  parameterPrefix: '/token-broker/dev',
  instances: [
    {
      name: 'cw-sandbox',
      type: 'crisisworks',
      baseUrl: 'https://api.cw.crisisworks.com',
      site: 'sandbox',
      client: {
        uuid: 'https://ops.example.org',
        platform: 'Linux',
        name: 'token-broker',
        version: '1',
      },
    },
    {
      name: 'c42-eu5',
      type: 'code42-api-client',
      baseUrl: 'https://console.eu5.cpg.crashplan.com',
    },
    { name: 'c42-admin', type: 'code42-local-account', baseUrl: 'https://console.us.code42.com' },
    {
      name: 'idp',
      type: 'oauth2-client-credentials',
      tokenUrl: 'https://idp.example.org/oauth2/token',
      scope: 'read',
      clientAuth: 'basic',
    },
  ],
};

function withInstance(patch: Record<string, unknown>, index = 0) {
  const instances = DESIGN_EXAMPLE.instances.map((instance, at) =>
    at === index ? { ...instance, ...patch } : instance,
  );
  return { ...DESIGN_EXAMPLE, instances };
}

function assertConfigError(value: unknown, message: RegExp): void {
  assert.throws(
    () => parseBrokerConfig(value, 'test.json'),
    (error: Error) =>
      error instanceof ConfigError &&
      error.message.startsWith('invalid token-broker configuration (test.json): ') &&
      message.test(error.message),
  );
}

describe('Function: parseBrokerConfig', () => {
  it('accepts the README example', () => {
    // Act
    const config = parseBrokerConfig(DESIGN_EXAMPLE, 'test.json');
    // Assess
    assert.equal(config.instances.length, 4);
    assert.equal(config.parameterPrefix, '/token-broker/dev');
  });

  it('defaults clientAuth to basic and strips a trailing slash from URLs', () => {
    // Act
    const config = parseBrokerConfig(
      withInstance({ tokenUrl: 'https://idp.example.org/token/', clientAuth: undefined }, 3),
      'test.json',
    );
    // Assess
    const idp = config.instances[3];
    assert.equal(idp?.type, 'oauth2-client-credentials');
    assert.equal(idp?.type === 'oauth2-client-credentials' && idp.clientAuth, 'basic');
    assert.equal(
      idp?.type === 'oauth2-client-credentials' && idp.tokenUrl,
      'https://idp.example.org/token',
    );
  });

  it('accepts plain http for loopback hosts only', () => {
    // Act
    const config = parseBrokerConfig(
      withInstance({ baseUrl: 'http://127.0.0.1:8080' }),
      'test.json',
    );
    // Assess
    assert.equal(config.instances[0]?.name, 'cw-sandbox');
    assertConfigError(
      withInstance({ baseUrl: 'http://api.cw.crisisworks.com' }),
      /instances\[0\]\.baseUrl: must use https/,
    );
  });

  it('throws ConfigError naming an unknown key', () => {
    // Act & Assess
    assertConfigError(withInstance({ password: 'x' }), /instances\[0\]: .*password/);
  });

  it("suggests the known key an unknown one resembles, for the instance's own type", () => {
    // Act & Assess
    assertConfigError(
      withInstance({ baseurl: 'https://x.example.org' }, 1),
      /instances\[1\]: Unrecognized key: "baseurl" \(did you mean "baseUrl"\?\)/,
    );
    assertConfigError(
      withInstance({ scopes: 'read' }, 3),
      /instances\[3\]: Unrecognized key: "scopes" \(did you mean "scope"\?\)/,
    );
    assertConfigError(
      { ...DESIGN_EXAMPLE, parameterprefix: '/x' },
      /\(root\): Unrecognized key: "parameterprefix" \(did you mean "parameterPrefix"\?\)/,
    );
    assertConfigError(
      withInstance({ client: { ...DESIGN_EXAMPLE.instances[0]?.client, versoin: '1' } }),
      /instances\[0\]\.client: Unrecognized key: "versoin" \(did you mean "version"\?\)/,
    );
  });

  it('gives no hint for an unknown key that resembles nothing', () => {
    // Act & Assess
    assertConfigError(withInstance({ password: 'x' }, 1), /Unrecognized key: "password"(;|$)/);
  });

  for (const [field, index, url] of [
    ['tokenUrl', 3, 'https://app:s3cret-value@idp.example.org/oauth2/token'],
    ['baseUrl', 1, 'https://user@console.eu5.cpg.crashplan.com'],
  ] as const) {
    it(`throws ConfigError for userinfo in ${field}, without echoing it`, () => {
      // Act & Assess
      assert.throws(
        () => parseBrokerConfig(withInstance({ [field]: url }, index), 'test.json'),
        (error: Error) =>
          new RegExp(`instances\\[${index}\\]\\.${field}: must not contain user info`).test(
            error.message,
          ) &&
          !error.message.includes('s3cret-value') &&
          !error.message.includes('user@console'),
      );
    });
  }

  it('throws ConfigError naming an unknown top-level key', () => {
    // Act & Assess
    assertConfigError({ ...DESIGN_EXAMPLE, credentials: {} }, /\(root\): .*credentials/);
  });

  it('throws ConfigError for an unknown provider type', () => {
    // Act & Assess
    assertConfigError(withInstance({ type: 'kerberos' }), /instances\[0\]\.type/);
  });

  it('throws ConfigError for a duplicate instance name', () => {
    // Act & Assess
    assertConfigError(
      withInstance({ name: 'c42-eu5' }),
      /instances\[1\]\.name: duplicate instance name "c42-eu5"/,
    );
  });

  it('throws ConfigError for a name that is not a safe path segment', () => {
    // Act & Assess
    assertConfigError(
      withInstance({ name: '../x' }),
      /instances\[0\]\.name: must be 1-64 characters/,
    );
  });

  it('throws ConfigError for a missing Crisisworks client field', () => {
    // Act & Assess
    assertConfigError(
      withInstance({ client: { uuid: 'u', platform: 'Linux', name: 'n' } }),
      /instances\[0\]\.client\.version/,
    );
  });

  it('throws ConfigError for a bad parameter prefix and an empty instance list', () => {
    // Act & Assess
    assertConfigError(
      { ...DESIGN_EXAMPLE, parameterPrefix: 'token-broker/' },
      /parameterPrefix: must be an SSM path/,
    );
    assertConfigError(
      { ...DESIGN_EXAMPLE, instances: [] },
      /instances: must list at least one instance/,
    );
  });

  it('throws ConfigError naming the field for a URL without a scheme, never a TypeError', () => {
    // Act & Assess
    assertConfigError(
      withInstance({ baseUrl: 'api.cw.crisisworks.com' }),
      /instances\[0\]\.baseUrl: must be an absolute URL/,
    );
    assertConfigError(
      withInstance({ tokenUrl: 'idp.example.org/oauth2/token' }, 3),
      /instances\[3\]\.tokenUrl: must be an absolute URL/,
    );
  });

  for (const [what, url, problem] of [
    ['a query', 'https://api.example.com?x=1', /must not have a query/],
    ['an empty query', 'https://api.example.com/?', /must not have a query/],
    ['a fragment', 'https://api.example.com/#top', /must not have a fragment/],
    ['user info', 'https://ops:hunter2@api.example.com', /must not contain user info/],
  ] as const) {
    it(`throws ConfigError naming the field for an endpoint with ${what}`, () => {
      // Act & Assess
      assertConfigError(withInstance({ baseUrl: url }, 1), problem);
      assert.throws(
        () => parseBrokerConfig(withInstance({ baseUrl: url }, 1), 'test.json'),
        (error: Error) =>
          error.message.includes('instances[1].baseUrl: ') && !error.message.includes('hunter2'),
      );
    });
  }

  it('accepts a secretId that is a secret name or a full secret ARN', () => {
    // Act
    const names = [
      'prod/cw-sandbox',
      'a',
      'Name_with+all=the.allowed@chars-/',
      'x'.repeat(512),
      'arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/cw-AbC123',
      'arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:cw-abcdef',
      'arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:cw-ABCDEF',
    ].map(
      (secretId) =>
        parseBrokerConfig(withInstance({ secretId }), 'test.json').instances[0]?.secretId,
    );
    // Assess
    assert.equal(names.length, 7);
    assert.ok(names.every((name) => name !== undefined));
  });

  for (const secretId of [
    '*',
    'prod/*',
    'cw-??????',
    '',
    'x'.repeat(513),
    'has space',
    'arn:aws:secretsmanager:eu-west-1:123456789012:secret:*',
    'arn:aws:secretsmanager:eu-west-1:123456789012:secret:cw',
    'arn:aws:secretsmanager:eu-west-1:123456789012:cw-AbC123',
    'arn:aws:secretsmanager:eu-west-1:1234:secret:cw-AbC123',
    'arn:aws:secretsmanager::123456789012:secret:cw-AbC123',
    'arn:aws:ssm:eu-west-1:123456789012:secret:cw-AbC123',
  ]) {
    it(`throws ConfigError for the secretId ${JSON.stringify(secretId.slice(0, 60))}`, () => {
      // Act & Assess
      assertConfigError(
        withInstance({ secretId }),
        /instances\[0\]\.secretId: must be a Secrets Manager secret name .* or a full secret ARN/,
      );
    });
  }

  it('accepts maxLifetimeSeconds from 60 to 31,536,000 on every provider type', () => {
    // Act
    const config = parseBrokerConfig(
      {
        ...DESIGN_EXAMPLE,
        instances: DESIGN_EXAMPLE.instances.map((instance, index) => ({
          ...instance,
          maxLifetimeSeconds: [60, 3600, 86_400, 31_536_000][index],
        })),
      },
      'test.json',
    );
    // Assess
    assert.deepEqual(
      config.instances.map((instance) => instance.maxLifetimeSeconds),
      [60, 3600, 86_400, 31_536_000],
    );
  });

  for (const maxLifetimeSeconds of [59, 31_536_001, 3600.5, '3600', 0, -1]) {
    it(`throws ConfigError for maxLifetimeSeconds ${JSON.stringify(maxLifetimeSeconds)}`, () => {
      // Act & Assess
      assertConfigError(
        withInstance({ maxLifetimeSeconds }, 2),
        /instances\[2\]\.maxLifetimeSeconds: must be a whole number of seconds from 60 to 31536000/,
      );
    });
  }
});

describe('Function: parseBrokerConfigJson', () => {
  it('throws ConfigError when the text is not JSON', () => {
    // Act & Assess
    assert.throws(() => parseBrokerConfigJson('{', 'env TOKEN_BROKER_CONFIG'), {
      name: 'ConfigError',
      message: /^invalid token-broker configuration \(env TOKEN_BROKER_CONFIG\): not valid JSON/,
    });
  });

  it('parses valid JSON text', () => {
    // Act & Assess
    assert.equal(parseBrokerConfigJson(JSON.stringify(DESIGN_EXAMPLE), 'x').instances.length, 4);
  });
});
