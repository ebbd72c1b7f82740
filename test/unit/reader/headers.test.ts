import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TokenDestinationError } from '../../../lambdas/reader/errors.ts';
import { resolveTokenUrl } from '../../../lambdas/reader/resolveTokenUrl.ts';
import { buildAuthorizationHeaders } from '../../../lambdas/reader/TokenReader.ts';
import { makeEnvelope } from '../../integration/reader/fixtures.ts';

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

  it('refuses plain http without a baseUrl, except to loopback hosts', () => {
    // Prepare
    const { baseUrl: _, ...rest } = envelope;
    // Act & Assess
    for (const url of ['http://api.example.org/x', 'ftp://api.example.org/x', 'file:///etc/x']) {
      assert.throws(
        () => resolveTokenUrl(url, rest),
        (error: Error) =>
          error instanceof TokenDestinationError &&
          error instanceof TypeError &&
          error.instance === 'cw' &&
          /refusing to send token "cw" .*: https only \(plain http only for loopback hosts\)/.test(
            error.message,
          ),
      );
    }
    assert.equal(resolveTokenUrl('http://127.0.0.1:8080/x', rest).host, '127.0.0.1:8080');
  });

  it('refuses a URL with user info', () => {
    // Act & Assess
    assert.throws(
      () => resolveTokenUrl('https://u:p@api.cw.crisisworks.com/x', envelope),
      (error: Error) => error instanceof TokenDestinationError && !error.message.includes(':p@'),
    );
  });

  it('sends a token without baseUrl only to allowedOrigins when they are given', () => {
    // Prepare
    const { baseUrl: _, ...rest } = envelope;
    const allowed = ['https://api.example.org', 'http://localhost:3000'];
    // Act & Assess
    assert.equal(resolveTokenUrl('https://api.example.org/a', rest, allowed).pathname, '/a');
    assert.equal(resolveTokenUrl('http://localhost:3000/b', rest, allowed).pathname, '/b');
    assert.throws(
      () => resolveTokenUrl('https://other.example.org/a', rest, allowed),
      /token "cw" has no baseUrl and https:\/\/other\.example\.org is not among allowedOrigins/,
    );
    assert.throws(
      () => resolveTokenUrl('https://api.example.org:8443/a', rest, allowed),
      TypeError,
    );
  });

  it('keeps to the baseUrl origin when the envelope has one, whatever allowedOrigins say', () => {
    // Act & Assess
    assert.throws(
      () => resolveTokenUrl('https://api.example.org/a', envelope, ['https://api.example.org']),
      /refusing to send it to https:\/\/api\.example\.org/,
    );
  });
});
