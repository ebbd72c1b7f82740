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
          new RegExp(
            `instances\\[${index}\\]\\.${field}: must not contain a user name or password`,
          ).test(error.message) &&
          !error.message.includes('s3cret-value') &&
          !error.message.includes('user@'),
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
