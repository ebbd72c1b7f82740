import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isHeaderSafe, isHttpToken, isVisibleAscii } from '../../../lambdas/envelope/index.ts';

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
