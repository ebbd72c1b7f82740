import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normaliseTokenType } from '../../../lambdas/providers/normaliseTokenType.ts';

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
