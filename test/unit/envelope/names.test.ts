import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  defaultSecretName,
  lockParameterName,
  tokenParameterName,
} from '../../../lambdas/envelope/index.ts';

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

  it('puts the lock parameter under .locks', () => {
    // Act & Assess
    assert.equal(lockParameterName('/token-broker/dev', 'idp'), '/token-broker/dev/.locks/idp');
  });
});
