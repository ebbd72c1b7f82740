import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  code42ErrorKeys,
  parseCode42Errors,
  vendorErrorDetail,
} from '../../../lambdas/providers/errorBody.ts';
import { MAX_DETAIL_LENGTH } from '../../../lambdas/providers/sanitiseDetail.ts';

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

const SECRET = 'hunter2-Secret';

describe('Function: vendorErrorDetail', () => {
  for (const [what, body, detail] of [
    [
      'OAuth2 error and error_description',
      { error: 'invalid_scope', error_description: 'scope admin is not allowed' },
      'invalid_scope: scope admin is not allowed',
    ],
    ['an OAuth2 error alone', { error: 'invalid_request' }, 'invalid_request'],
    ['a Crisisworks message', { status: 401, message: 'Invalid user' }, 'Invalid user'],
    [
      'Code42 keys, not their descriptions',
      { data: null, error: [{ primaryErrorKey: 'A', description: 'a' }, { primaryErrorKey: 'B' }] },
      'A, B',
    ],
    ['Code42 descriptions without keys', [{ description: 'Locked' }], 'Locked'],
    ['a top-level description', { description: 'Gone fishing' }, 'Gone fishing'],
  ] as const) {
    it(`reads ${what}`, () => {
      // Act & Assess
      assert.equal(vendorErrorDetail(JSON.stringify(body), [SECRET]), detail);
    });
  }

  it('never surfaces other fields or a body that is not JSON, where an echo would be', () => {
    // Prepare
    const echo = { request: { password: SECRET }, trace: `at login(${SECRET})`, status: 400 };
    // Act & Assess
    assert.equal(vendorErrorDetail(JSON.stringify(echo), [SECRET]), undefined);
    assert.equal(vendorErrorDetail(`password=${SECRET}`, [SECRET]), undefined);
    assert.equal(vendorErrorDetail(`<h1>${SECRET}</h1>`, [SECRET]), undefined);
    assert.equal(vendorErrorDetail('{"error":42,"message":null}', [SECRET]), undefined);
  });

  it('truncates each field and redacts the secret before cutting', () => {
    // Prepare: the secret straddles the cut
    const long = `${'x'.repeat(MAX_DETAIL_LENGTH - 5)}${SECRET}${'y'.repeat(500)}`;
    // Act
    const detail = vendorErrorDetail(
      JSON.stringify({ error: 'invalid_request', error_description: long }),
      [SECRET],
    );
    // Assess
    const [error, description] = (detail ?? '').split(': ');
    assert.equal(error, 'invalid_request');
    assert.equal(description?.length, MAX_DETAIL_LENGTH);
    assert.ok(!detail?.includes('hunter'), detail);
    assert.match(description ?? '', /^x{195}\[red…$/);
  });
});
