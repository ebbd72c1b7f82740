import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { CachedToken } from '../../../lambdas/reader/CachedToken.ts';
import { Cooldown } from '../../../lambdas/reader/RefresherInvoker.ts';
import { makeEnvelope } from '../../integration/reader/fixtures.ts';

describe('Class: CachedToken', () => {
  beforeEach(() => {
    mock.timers.enable({ apis: ['Date'], now: Date.parse('2026-11-22T09:00:00.000Z') });
  });
  afterEach(() => {
    mock.timers.reset();
  });

  describe('Method: isExpired', () => {
    it('is false until expiresAt minus the minimum validity, and true from then on', () => {
      // Prepare
      const cached = new CachedToken(makeEnvelope('cw', {}, 3600));
      // Act
      mock.timers.tick((3600 - 60) * 1000 - 1);
      const justBefore = cached.isExpired(60);
      mock.timers.tick(1);
      const atLimit = cached.isExpired(60);
      // Assess
      assert.equal(justBefore, false);
      assert.equal(atLimit, true);
      assert.equal(cached.isExpired(0), false);
    });

    it('is true once the token has expired, whatever the minimum validity', () => {
      // Prepare
      const cached = new CachedToken(makeEnvelope('cw', {}, 10));
      // Act
      mock.timers.tick(10_000);
      // Assess
      assert.equal(cached.isExpired(0), true);
    });
  });
});

describe('Class: Cooldown', () => {
  beforeEach(() => {
    mock.timers.enable({ apis: ['Date'], now: 0 });
  });
  afterEach(() => {
    mock.timers.reset();
  });

  describe('Method: isOver', () => {
    it('is false for the given seconds after creation, then true', () => {
      // Prepare
      const cooldown = new Cooldown(30);
      // Act
      mock.timers.tick(29_999);
      const during = cooldown.isOver();
      mock.timers.tick(1);
      const after = cooldown.isOver();
      // Assess
      assert.equal(during, false);
      assert.equal(after, true);
    });
  });
});
