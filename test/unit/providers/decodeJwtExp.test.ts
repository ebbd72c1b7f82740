import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeJwtExp } from '../../../lambdas/providers/index.ts';
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
