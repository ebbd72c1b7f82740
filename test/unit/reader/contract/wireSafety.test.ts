import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  isAllowedEndpoint,
  isHeaderSafe,
  isHttpToken,
  isVisibleAscii,
} from '../../../../lambdas/reader/contract/index.ts';

describe('Function: isHeaderSafe', () => {
  it('accepts visible ASCII, spaces and tabs', () => {
    // Act & Assess
    assert.equal(isHeaderSafe('Bearer eyJ.abc-_~+/= \t'), true);
  });

  for (const [what, value] of [
    ['CR', 'a\rb'],
    ['LF', 'a\nb'],
    ['NUL', 'a\u0000b'],
    ['DEL', 'a\u007fb'],
    ['non-ASCII', 'tökén'],
  ] as const) {
    it(`refuses ${what}`, () => {
      // Act & Assess
      assert.equal(isHeaderSafe(value), false);
    });
  }
});

describe('Function: isHttpToken', () => {
  it('accepts header names and Authorization schemes', () => {
    // Act & Assess
    for (const value of ['X-Site', 'Bearer', 'DPoP', "a!#$%&'*+.^_`|~z"]) {
      assert.equal(isHttpToken(value), true, value);
    }
  });

  it('refuses the empty string, spaces, separators and controls', () => {
    // Act & Assess
    for (const value of ['', 'Be arer', 'X:Site', 'a\r\nb', 'tökén']) {
      assert.equal(isHttpToken(value), false, value);
    }
  });
});

describe('Function: isVisibleAscii', () => {
  it('accepts a token of visible ASCII', () => {
    // Act & Assess
    assert.equal(isVisibleAscii('eyJ.abc-_~+/=!#$%&*|'), true);
  });

  for (const value of ['', 'a b', 'a\tb', 'a\nb', 'ä', 'a\u007f']) {
    it(`refuses ${JSON.stringify(value)}`, () => {
      // Act & Assess
      assert.equal(isVisibleAscii(value), false);
    });
  }
});

describe('Function: isAllowedEndpoint', () => {
  for (const url of [
    'https://api.example.org',
    'http://127.0.0.1:1234',
    'http://127.8.9.1',
    'http://localhost',
    'http://[::1]:80',
  ]) {
    it(`allows ${url}`, () => {
      // Act & Assess
      assert.equal(isAllowedEndpoint(new URL(url)), true);
    });
  }
  for (const url of [
    'http://api.example.org',
    'http://127.0.0.1.example.org',
    'ftp://127.0.0.1',
    'file:///etc/passwd',
  ]) {
    it(`refuses ${url}`, () => {
      // Act & Assess
      assert.equal(isAllowedEndpoint(new URL(url)), false);
    });
  }
});
