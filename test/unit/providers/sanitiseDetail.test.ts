import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_DETAIL_LENGTH, sanitiseDetail } from '../../../lambdas/providers/sanitiseDetail.ts';

describe('Function: sanitiseDetail', () => {
  it('redacts a secret in raw, JSON-escaped and URL-encoded form', () => {
    // Prepare
    const secret = 'pa"ss wörd';
    const text = `raw ${secret} json ${JSON.stringify(secret)} url ${encodeURIComponent(secret)}`;
    // Act
    const result = sanitiseDetail(text, [secret]);
    // Assess
    assert.equal(result, 'raw [redacted] json "[redacted]" url [redacted]');
  });

  it('folds line breaks and control characters into single spaces', () => {
    // Act & Assess
    assert.equal(sanitiseDetail('a\r\n\tb\u0000c  d', []), 'a b c d');
  });

  it('caps the length with an ellipsis', () => {
    // Act
    const result = sanitiseDetail('x'.repeat(1_000), []);
    // Assess
    assert.equal(result.length, MAX_DETAIL_LENGTH);
    assert.ok(result.endsWith('…'));
  });

  it('ignores empty secrets', () => {
    // Act & Assess
    assert.equal(sanitiseDetail('text', ['']), 'text');
  });
});
