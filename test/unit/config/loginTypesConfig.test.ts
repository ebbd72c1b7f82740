import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  ConfigError,
  CredentialsFormatError,
  parseBrokerConfig,
  parseCredentials,
  resolveJsonPointer,
} from '../../../lambdas/config/index.ts';
import { testKeyPair } from '../../fakes/index.ts';

function config(instance: Record<string, unknown>) {
  return parseBrokerConfig({ parameterPrefix: '/tb/test', instances: [instance] }, 'test.json');
}

function assertConfigError(instance: Record<string, unknown>, message: RegExp): void {
  assert.throws(
    () => config(instance),
    (error: Error) => error instanceof ConfigError && message.test(error.message),
  );
}

const REFRESH = {
  name: 'crm',
  type: 'oauth2-refresh-token',
  tokenUrl: 'https://idp.example.org/oauth2/token',
};
const LOGIN = {
  name: 'vendor-x',
  type: 'http-json-login',
  baseUrl: 'https://api.vendor-x.example',
  request: {
    method: 'POST',
    path: '/api/login',
    headers: { 'X-Tenant': 'acme' },
    json: { user: '{{username}}', pass: '{{password}}', otp: '{{totp}}' },
  },
  response: { token: '/data/token', expiresIn: '/data/ttl', lifetimeSeconds: 3600 },
  apiHeaders: { 'X-Tenant': 'acme' },
};

describe('Schema: oauth2-refresh-token and private_key_jwt', () => {
  it('accepts every clientAuth, authorizeUrl and redirectPort, defaulting to basic', () => {
    // Act
    const [plain] = config(REFRESH).instances;
    const [full] = config({
      ...REFRESH,
      authorizeUrl: 'https://idp.example.org/oauth2/authorize',
      redirectPort: 8765,
      clientAuth: 'none',
    }).instances;
    // Assess
    assert.equal(plain?.type === 'oauth2-refresh-token' && plain.clientAuth, 'basic');
    assert.equal(full?.type === 'oauth2-refresh-token' && full.redirectPort, 8765);
    for (const clientAuth of ['basic', 'post', 'none', 'private_key_jwt']) {
      assert.doesNotThrow(() => config({ ...REFRESH, clientAuth }));
    }
  });

  it('rejects a privileged redirectPort and "none" on client credentials', () => {
    // Assess
    assertConfigError(
      { ...REFRESH, redirectPort: 80 },
      /instances\[0\]\.redirectPort: must be from 1024 to 65535/,
    );
    assertConfigError(
      {
        name: 'idp',
        type: 'oauth2-client-credentials',
        tokenUrl: REFRESH.tokenUrl,
        clientAuth: 'none',
      },
      /instances\[0\]\.clientAuth/,
    );
  });

  it('requires the field each clientAuth uses, naming it and never a value', () => {
    // Prepare
    const [basic] = config(REFRESH).instances;
    const [jwt] = config({ ...REFRESH, clientAuth: 'private_key_jwt' }).instances;
    const [none] = config({ ...REFRESH, clientAuth: 'none' }).instances;
    assert.ok(basic && jwt && none);
    // Act / Assess
    assert.throws(
      () => parseCredentials(basic, { clientId: 'app', refreshToken: 'rt-secret-1' }),
      (error: Error) =>
        error instanceof CredentialsFormatError &&
        /clientSecret: is required with clientAuth "basic"/.test(error.message) &&
        !error.message.includes('rt-secret-1'),
    );
    assert.throws(
      () => parseCredentials(jwt, { clientId: 'app', refreshToken: 'rt' }),
      /privateKey: is required with clientAuth "private_key_jwt"/,
    );
    assert.deepEqual(parseCredentials(none, { clientId: 'app', refreshToken: 'rt' }), {
      clientId: 'app',
      refreshToken: 'rt',
    });
  });

  it('accepts PKCS#8 PEMs of RSA 2048 and P-256 unchanged', () => {
    // Prepare
    const [jwt] = config({ ...REFRESH, clientAuth: 'private_key_jwt' }).instances;
    assert.ok(jwt);
    for (const kind of ['rsa', 'ec'] as const) {
      const { privateKeyPem } = testKeyPair(kind);
      // Act
      const credentials: Readonly<Record<string, unknown>> = parseCredentials(jwt, {
        clientId: 'app',
        refreshToken: 'rt',
        privateKey: privateKeyPem,
        keyId: 'k1',
      });
      // Assess
      assert.equal(credentials.privateKey, privateKeyPem);
    }
  });

  const badKeys: [string, () => string][] = [
    ['not a PEM', () => 'hello'],
    [
      'a PKCS#1 RSA PEM',
      () =>
        generateKeyPairSync('rsa', { modulusLength: 2048 })
          .privateKey.export({ type: 'pkcs1', format: 'pem' })
          .toString(),
    ],
    [
      'an RSA key of 1024 bits',
      () =>
        generateKeyPairSync('rsa', { modulusLength: 1024 })
          .privateKey.export({ type: 'pkcs8', format: 'pem' })
          .toString(),
    ],
    [
      'a P-384 key',
      () =>
        generateKeyPairSync('ec', { namedCurve: 'P-384' })
          .privateKey.export({ type: 'pkcs8', format: 'pem' })
          .toString(),
    ],
    [
      'a truncated body',
      () => {
        const lines = testKeyPair('ec').privateKeyPem.trimEnd().split('\n');
        return [...lines.slice(0, -2), lines.at(-1)].join('\n');
      },
    ],
    [
      'an encrypted PKCS#8 PEM',
      () =>
        generateKeyPairSync('ec', { namedCurve: 'P-256' })
          .privateKey.export({
            type: 'pkcs8',
            format: 'pem',
            cipher: 'aes-256-cbc',
            passphrase: 'x',
          })
          .toString(),
    ],
  ];
  for (const [what, pem] of badKeys) {
    it(`refuses ${what} as privateKey, naming the field and never the key`, () => {
      // Prepare
      const [idp] = config({
        name: 'idp',
        type: 'oauth2-client-credentials',
        tokenUrl: REFRESH.tokenUrl,
        clientAuth: 'private_key_jwt',
      }).instances;
      assert.ok(idp);
      const key = pem();
      // Act / Assess
      assert.throws(
        () => parseCredentials(idp, { clientId: 'app', privateKey: key }),
        (error: Error) => {
          assert.ok(error instanceof CredentialsFormatError);
          assert.match(
            error.message,
            /instance "idp": invalid credentials: privateKey: must be an unencrypted PKCS#8 PEM private key/,
          );
          const body = key.split('\n').filter((line) => line !== '' && !line.startsWith('-----'));
          for (const line of body) assert.ok(!error.message.includes(line));
          return true;
        },
      );
    });
  }
});

describe('Schema: http-json-login', () => {
  it('accepts the issue example and defaults basicAuth to false', () => {
    // Act
    const [instance] = config(LOGIN).instances;
    // Assess
    assert.equal(instance?.type, 'http-json-login');
    assert.equal(instance?.type === 'http-json-login' && instance.request.basicAuth, false);
  });

  const bad: [string, Record<string, unknown>, RegExp][] = [
    [
      'an unknown placeholder',
      { ...LOGIN, request: { ...LOGIN.request, json: { user: '{{user}}' } } },
      /instances\[0\]\.request\.json\.user: unknown placeholder \{\{user\}\}/,
    ],
    [
      'a placeholder in the path',
      { ...LOGIN, request: { ...LOGIN.request, path: '/login/{{username}}' } },
      /instances\[0\]\.request\.path: placeholders are allowed only in the request body and in request header values/,
    ],
    [
      'a placeholder in apiHeaders',
      { ...LOGIN, apiHeaders: { 'X-Key': '{{password}}' } },
      /instances\[0\]\.apiHeaders\.X-Key: placeholders are allowed only/,
    ],
    [
      'json and form together',
      { ...LOGIN, request: { ...LOGIN.request, form: { a: 'b' } } },
      /request\.form: give "json" or "form", not both/,
    ],
    [
      'a GET with a body',
      { ...LOGIN, request: { ...LOGIN.request, method: 'GET' } },
      /request\.method: a GET request has no body/,
    ],
    [
      'a pointer without a leading slash',
      { ...LOGIN, response: { token: 'data/token' } },
      /response\.token: must be an RFC 6901 JSON Pointer/,
    ],
    [
      'expiresIn and expiresAt together',
      { ...LOGIN, response: { token: '/t', expiresIn: '/a', expiresAt: '/b' } },
      /response\.expiresAt: give "expiresIn" or "expiresAt", not both/,
    ],
    [
      'a header value with a line break',
      { ...LOGIN, request: { ...LOGIN.request, headers: { 'X-A': 'a\r\nb' } } },
      /request\.headers\.X-A: must be visible ASCII/,
    ],
    ['an unknown key', { ...LOGIN, extra: 1 }, /extra/],
  ];
  for (const [what, instance, message] of bad) {
    it(`rejects ${what}`, () => {
      // Assess
      assertConfigError(instance, message);
    });
  }

  it('requires the credentials its placeholders and basicAuth use', () => {
    // Prepare
    const [instance] = config({
      ...LOGIN,
      request: { ...LOGIN.request, basicAuth: true, json: { otp: '{{totp}}' } },
    }).instances;
    assert.ok(instance);
    // Act / Assess
    assert.throws(
      () => parseCredentials(instance, { clientId: 'x' }),
      /totpSecret: is required for \{\{totp\}\}; username: is required for basicAuth; password: is required for basicAuth/,
    );
  });
});

describe('Function: resolveJsonPointer', () => {
  it('follows RFC 6901 escapes and array indexes', () => {
    // Prepare
    const document = { 'a/b': { 'm~n': [10, 20] }, '': 'root-empty' };
    // Assess
    assert.equal(resolveJsonPointer(document, '/a~1b/m~0n/1'), 20);
    assert.equal(resolveJsonPointer(document, '/'), 'root-empty');
    assert.equal(resolveJsonPointer(document, ''), document);
    assert.equal(resolveJsonPointer(document, '/a~1b/m~0n/01'), undefined);
    assert.equal(resolveJsonPointer(document, '/missing/x'), undefined);
    assert.equal(resolveJsonPointer({ toString: 1 }, '/constructor'), undefined);
  });
});
