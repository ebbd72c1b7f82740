import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  defaultSecretName,
  defaultStateTableName,
  tokenParameterName,
} from '../../../../lambdas/reader/contract/index.ts';

describe('Module: names', () => {
  it('puts the token parameter and the default secret at {parameterPrefix}/{name}', () => {
    // Act & Assess
    assert.equal(
      tokenParameterName('/token-broker/dev', 'cw-sandbox'),
      '/token-broker/dev/cw-sandbox',
    );
    assert.equal(
      defaultSecretName('/token-broker/dev', 'cw-sandbox'),
      '/token-broker/dev/cw-sandbox',
    );
  });

  it('derives the state table from the prefix', () => {
    // Act & Assess
    assert.equal(defaultStateTableName('/token-broker/dev'), 'token-broker-dev-state');
    assert.equal(defaultStateTableName('/a'), 'a-state');
  });

  it("keeps a long prefix's state table within 255 characters, distinct per prefix", () => {
    // Prepare
    const long = `/${'a'.repeat(300)}`;
    // Act
    const first = defaultStateTableName(long);
    const second = defaultStateTableName(`${long}b`);
    // Assess
    assert.ok(first.length <= 255 && /^[A-Za-z0-9_.-]+$/.test(first));
    assert.notEqual(first, second);
  });
});
