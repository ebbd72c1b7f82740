import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseJsonLeniently } from '../../../lambdas/config/index.ts';

describe('Function: parseJsonLeniently', () => {
  it('parses any JSON value, null included', () => {
    // Act & Assess
    assert.deepEqual(parseJsonLeniently('{"error":"invalid_client"}'), { error: 'invalid_client' });
    assert.deepEqual(parseJsonLeniently('[1]'), [1]);
    assert.equal(parseJsonLeniently('null'), null);
  });

  it('gives undefined for a body that is not JSON', () => {
    // Act & Assess
    for (const body of ['', '<html>maintenance</html>', '{"access_token":"t"']) {
      assert.equal(parseJsonLeniently(body), undefined);
    }
  });
});
