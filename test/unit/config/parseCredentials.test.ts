import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CredentialsFormatError,
  parseCredentials,
  parseCredentialsJson,
} from '../../../lambdas/config/index.ts';
import { code42ApiClientInstance, crisisworksInstance } from '../../fakes/index.ts';

const SECRET = 'never-in-a-message-7';
const cw = crisisworksInstance('https://api.cw.example.org', 'sandbox');
const c42 = code42ApiClientInstance('https://console.example.org');

function assertRejected(run: () => unknown, field: RegExp): void {
  assert.throws(run, (error: Error) => {
    assert.ok(error instanceof CredentialsFormatError);
    assert.ok(['cw', 'c42'].includes(error.instance));
    assert.match(error.message, field);
    assert.ok(!error.message.includes(SECRET), error.message);
    return true;
  });
}

describe('Function: parseCredentials', () => {
  it('accepts password credentials and normalises the TOTP seed', () => {
    // Act
    const credentials = parseCredentials(cw, {
      username: 'api',
      password: SECRET,
      totpSecret: 'jbsw y3dp ehpk 3pxp==',
    });
    // Assess
    assert.deepEqual(credentials, {
      username: 'api',
      password: SECRET,
      totpSecret: 'JBSWY3DPEHPK3PXP',
    });
  });

  it('accepts client credentials', () => {
    // Act & Assess
    assert.deepEqual(parseCredentials(c42, { clientId: 'k', clientSecret: SECRET }), {
      clientId: 'k',
      clientSecret: SECRET,
    });
  });

  it('throws CredentialsFormatError counting unknown fields without naming them', () => {
    // Act & Assess
    assertRejected(
      () => parseCredentials(c42, { clientId: 'k', clientSecret: SECRET, password: SECRET }),
      /^instance "c42": invalid credentials: \(root\): 1 unrecognised field\(s\)$/,
    );
  });

  it('never names an unknown field, since a secret pasted as a key would show', () => {
    // Prepare: a secret pasted as a JSON key, as `{"hunter2": ""}`
    const value = { username: 'api', password: 'pw', [SECRET]: '', [`${SECRET}-2`]: 1 };
    // Act & Assess
    assertRejected(
      () => parseCredentials(cw, value),
      /^instance "cw": invalid credentials: \(root\): 2 unrecognised field\(s\)$/,
    );
    assertRejected(() => parseCredentialsJson(cw, JSON.stringify(value)), /2 unrecognised/);
  });

  it('suggests the field a misspelt one resembles, never naming the misspelt one', () => {
    // Act & Assess
    assertRejected(
      () => parseCredentials(cw, { username: 'api', password: 'pw', passwrd: SECRET }),
      /1 unrecognised field\(s\) \(did you mean "password"\?\)$/,
    );
  });

  it('throws CredentialsFormatError naming a missing field', () => {
    // Act & Assess
    assertRejected(() => parseCredentials(cw, { username: 'api' }), /password/);
  });

  it('throws CredentialsFormatError when the seed is not base32 or too short', () => {
    // Act & Assess
    assertRejected(
      () => parseCredentials(cw, { username: 'a', password: SECRET, totpSecret: `${SECRET}!` }),
      /totpSecret: must be base32/,
    );
    assertRejected(
      () => parseCredentials(cw, { username: 'a', password: SECRET, totpSecret: 'JBSWY3DP' }),
      /totpSecret: must be at least 16 base32 characters/,
    );
    assertRejected(
      () => parseCredentials(cw, { username: 'a', password: SECRET, totpSecret: 'ı'.repeat(16) }),
      /totpSecret: must be base32/,
    );
  });

  it('throws CredentialsFormatError for client credentials given to a password type', () => {
    // Act & Assess
    assertRejected(() => parseCredentials(cw, { clientId: 'k', clientSecret: SECRET }), /username/);
  });
});

describe('Function: parseCredentialsJson', () => {
  it('throws CredentialsFormatError without quoting the text when it is not JSON', () => {
    // Act & Assess
    assertRejected(
      () => parseCredentialsJson(cw, `{"username": "api", "password": "${SECRET}"`),
      /the secret is not valid JSON$/,
    );
  });
});
