import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { closestMatch } from '../../../lambdas/config/index.ts';

describe('Function: closestMatch', () => {
  const commands = ['token', 'totp', 'put-credentials', 'refresh', 'status', 'deployer-policy'];

  for (const [word, expected] of [
    ['refersh', 'refresh'],
    ['stauts', 'status'],
    ['put-credential', 'put-credentials'],
    ['TOKEN', 'token'],
    ['totp', 'totp'],
  ] as const) {
    it(`matches "${word}" to "${expected}"`, () => {
      // Act & Assess
      assert.equal(closestMatch(word, commands), expected);
    });
  }

  it('prefers the nearer of two candidates', () => {
    // Act & Assess
    assert.equal(closestMatch('tokn', ['token', 'totp']), 'token');
  });

  for (const word of ['deploy', 'xyz', 'login', '']) {
    it(`matches nothing for "${word}"`, () => {
      // Act & Assess
      assert.equal(closestMatch(word, commands), undefined);
    });
  }
});
