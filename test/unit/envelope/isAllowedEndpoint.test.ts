import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isAllowedEndpoint } from '../../../lambdas/envelope/index.ts';

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
