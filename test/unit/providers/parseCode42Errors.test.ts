import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { code42ErrorKeys } from '../../../lambdas/providers/code42ErrorKeys.ts';
import { parseCode42Errors } from '../../../lambdas/providers/parseCode42Errors.ts';

const ERROR = {
  primaryErrorKey: 'TIME_BASED_ONE_TIME_PASSWORD_REQUIRED',
  otherErrorKeys: ['TIME_BASED_ONE_TIME_PASSWORD_REQUIRED'],
  exceptionClass: 'com.code42.core.auth.AuthenticationException',
  description: 'TOTP required',
};

describe('Function: parseCode42Errors', () => {
  it('reads a bare array of errors', () => {
    // Act & Assess
    assert.deepEqual(parseCode42Errors(JSON.stringify([ERROR])), [
      { primaryErrorKey: ERROR.primaryErrorKey, description: 'TOTP required' },
    ]);
  });

  it('reads the v3 shape with an error array or a single error object', () => {
    // Act
    const list = parseCode42Errors(JSON.stringify({ data: null, error: [ERROR], warnings: null }));
    const single = parseCode42Errors(JSON.stringify({ data: null, error: ERROR }));
    // Assess
    assert.equal(list[0]?.primaryErrorKey, ERROR.primaryErrorKey);
    assert.equal(single[0]?.primaryErrorKey, ERROR.primaryErrorKey);
  });

  it('gives an empty list for HTML, null errors and items without keys', () => {
    // Act & Assess
    assert.deepEqual(parseCode42Errors('<html>'), []);
    assert.deepEqual(parseCode42Errors('{"data":null,"error":null}'), []);
    assert.deepEqual(parseCode42Errors('[{"foo":1}, 3, null]'), []);
    assert.deepEqual(parseCode42Errors('{"error":"invalid_client"}'), []);
  });

  it('reads a single error object at the top level', () => {
    // Act & Assess
    assert.deepEqual(parseCode42Errors('{"primaryErrorKey":"LOCKED","description":"Locked"}'), [
      { primaryErrorKey: 'LOCKED', description: 'Locked' },
    ]);
  });
});

describe('Function: code42ErrorKeys', () => {
  it('lists the primary keys', () => {
    // Act
    const keys = code42ErrorKeys(JSON.stringify([ERROR, { ...ERROR, primaryErrorKey: 'OTHER' }]));
    // Assess
    assert.deepEqual(keys, ['TIME_BASED_ONE_TIME_PASSWORD_REQUIRED', 'OTHER']);
  });

  it('gives no keys for an unreadable body or one with descriptions only', () => {
    // Act & Assess
    assert.deepEqual(code42ErrorKeys('oops'), []);
    assert.deepEqual(code42ErrorKeys('[{"description":"Locked"}]'), []);
  });
});
