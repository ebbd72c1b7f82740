import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeCode42Failure } from '../../../lambdas/providers/describeCode42Failure.ts';
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
  });
});

describe('Function: describeCode42Failure', () => {
  it('joins the primary keys', () => {
    // Act
    const failure = describeCode42Failure(
      JSON.stringify([ERROR, { ...ERROR, primaryErrorKey: 'OTHER' }]),
    );
    // Assess
    assert.equal(failure.detail, 'TIME_BASED_ONE_TIME_PASSWORD_REQUIRED, OTHER');
    assert.deepEqual(failure.keys, ['TIME_BASED_ONE_TIME_PASSWORD_REQUIRED', 'OTHER']);
  });

  it('falls back to the descriptions when no key is given', () => {
    // Act & Assess
    assert.equal(describeCode42Failure('[{"description":"Locked"}]').detail, 'Locked');
  });

  it('gives no detail for an unreadable body', () => {
    // Act & Assess
    assert.equal(describeCode42Failure('oops').detail, undefined);
  });
});
