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

  it('redacts PHP-style escapes, lower-case percent-encoding, any case, base64 and NFD', () => {
    // Prepare
    const secret = 'pä/ss wörd';
    const echoes = [
      'p\\u00e4\\/ss w\\u00f6rd',
      'p%c3%a4%2fss%20w%c3%b6rd',
      'p%c3%a4%2fss+w%c3%b6rd',
      'PÄ/SS WÖRD',
      Buffer.from(secret).toString('base64'),
      Buffer.from(secret).toString('base64url'),
      secret.normalize('NFD'),
    ];
    // Act
    const result = sanitiseDetail(echoes.join(' | '), [secret]);
    // Assess
    assert.equal(result, echoes.map(() => '[redacted]').join(' | '));
  });

  it('withholds the whole text when only a decoding reveals a secret', () => {
    // Prepare: JSON-escaped, then percent-encoded, then base64: no single form foresees it
    const secret = 'pä/ss';
    const layered = Buffer.from(encodeURIComponent('p\\u00e4\\/ss')).toString('base64');
    // Act & Assess
    assert.equal(sanitiseDetail(`the request was ${layered}`, [secret]), '[redacted]');
  });

  it('does not withhold a text because a short secret turns up in base64 noise', () => {
    // Prepare: "cannot", "reach" and the port decode as base64 to bytes that include "y"
    const text = 'cannot reach http://127.0.0.1:41234 (ECONNREFUSED) (3 attempt(s))';
    // Act & Assess
    assert.equal(sanitiseDetail(text, ['y', 'eDp5']), text);
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
