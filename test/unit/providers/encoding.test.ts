import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeJwtExp, normaliseTokenType } from '../../../lambdas/providers/encoding.ts';
import { makeUnsignedJwt } from '../../fakes/index.ts';

function jwtWithPayload(payload: string): string {
  return `e30.${Buffer.from(payload).toString('base64url')}.c2lnbmF0dXJl`;
}

describe('Function: decodeJwtExp', () => {
  it('reads exp from the payload without verifying the signature', () => {
    // Act & Assess
    assert.equal(decodeJwtExp(makeUnsignedJwt({ exp: 1795434348 })), 1795434348);
  });

  it('gives undefined for an opaque token', () => {
    // Act & Assess
    assert.equal(decodeJwtExp('opaque-token'), undefined);
    assert.equal(decodeJwtExp('a.b'), undefined);
  });

  it('gives undefined when the payload is not base64url JSON', () => {
    // Act & Assess
    assert.equal(decodeJwtExp('e30.!!!.sig'), undefined);
    assert.equal(decodeJwtExp(jwtWithPayload('not json')), undefined);
    assert.equal(decodeJwtExp(jwtWithPayload('null')), undefined);
  });

  it('gives undefined when exp is missing or not a number', () => {
    // Act & Assess
    assert.equal(decodeJwtExp(jwtWithPayload('{"sub":"x"}')), undefined);
    assert.equal(decodeJwtExp(jwtWithPayload('{"exp":"1795434348"}')), undefined);
  });
});

describe('Function: normaliseTokenType', () => {
  it('gives Bearer for any casing of bearer, and when absent', () => {
    // Act & Assess
    for (const given of ['bearer', 'BEARER', 'Bearer', undefined, null]) {
      assert.equal(normaliseTokenType(given), 'Bearer');
    }
  });

  it('keeps another valid scheme as given', () => {
    // Act & Assess
    assert.equal(normaliseTokenType('DPoP'), 'DPoP');
  });

  it('gives undefined for a value that is not a scheme', () => {
    // Act & Assess
    for (const given of ['', 'Bearer x', 'a\r\nb', 7, {}]) {
      assert.equal(normaliseTokenType(given), undefined);
    }
  });
});
