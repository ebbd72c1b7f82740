import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildAuthorizationHeaders } from '../../lambdas/reader/buildAuthorizationHeaders.ts';
import { resolveTokenUrl } from '../../lambdas/reader/resolveTokenUrl.ts';
import { makeEnvelope } from '../integration/readerFixtures.ts';

describe('Function: buildAuthorizationHeaders', () => {
  it('puts the token type and token in Authorization beside the extra headers', () => {
    // Prepare
    const envelope = makeEnvelope('cw', { tokenType: 'Bearer', token: 'abc' });
    // Act & Assess
    assert.deepEqual(buildAuthorizationHeaders(envelope), {
      'X-Site': 'sandbox',
      Authorization: 'Bearer abc',
    });
  });

  it('drops an authorization header among the extra headers, in any case', () => {
    // Prepare
    const envelope = makeEnvelope('cw', { token: 'abc', headers: { authorization: 'Basic x' } });
    // Act & Assess
    assert.deepEqual(buildAuthorizationHeaders(envelope), { Authorization: 'Bearer abc' });
  });
});

describe('Function: resolveTokenUrl', () => {
  const envelope = makeEnvelope('cw', { baseUrl: 'https://api.cw.crisisworks.com/base/' });

  it('resolves a relative path against baseUrl', () => {
    // Act & Assess
    assert.equal(
      resolveTokenUrl('/api/json/item/id/1', envelope).href,
      'https://api.cw.crisisworks.com/api/json/item/id/1',
    );
    assert.equal(
      resolveTokenUrl('items?x=1', envelope).href,
      'https://api.cw.crisisworks.com/base/items?x=1',
    );
  });

  it('accepts an absolute URL on the same origin', () => {
    // Act & Assess
    assert.equal(
      resolveTokenUrl(new URL('https://api.cw.crisisworks.com/x'), envelope).href,
      'https://api.cw.crisisworks.com/x',
    );
  });

  it('throws a TypeError when an absolute URL points to another origin', () => {
    // Act & Assess
    assert.throws(() => resolveTokenUrl('https://evil.example.org/x', envelope), TypeError);
    assert.throws(() => resolveTokenUrl('//evil.example.org/x', envelope), TypeError);
  });

  it('requires an absolute URL when the envelope has no baseUrl', () => {
    // Prepare
    const { baseUrl: _, ...rest } = envelope;
    // Act & Assess
    assert.equal(resolveTokenUrl('https://x.example.org/a', rest).href, 'https://x.example.org/a');
    assert.throws(() => resolveTokenUrl('/a', rest), /has no baseUrl/);
  });
});
