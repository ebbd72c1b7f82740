import assert from 'node:assert/strict';
import { afterEach, describe, it, mock } from 'node:test';
import { ProviderTypes } from '../../../lambdas/config/index.ts';
import {
  LoginAbortedError,
  loginInstance,
  ProviderError,
  ProviderRequestError,
  providers,
} from '../../../lambdas/providers/index.ts';
import { crisisworksInstance, fastLoginOptions } from '../../fakes/index.ts';

const PASSWORD = 'hunter2-Secret';
const instance = crisisworksInstance('https://api.cw.example.org', 'sandbox');

describe('Function: loginInstance', () => {
  afterEach(() => {
    mock.restoreAll();
  });

  it('has a provider for every configured type, each declaring its type', () => {
    // Prepare
    const types = Object.values(ProviderTypes);
    // Assess
    assert.deepEqual(Object.keys(providers).sort(), [...types].sort());
    for (const type of types) {
      assert.equal(providers[type].type, type);
      assert.ok(providers[type].documentedLifetimeSeconds > 0);
    }
  });

  it('wraps an unexpected error in ProviderRequestError naming the instance, secrets redacted, no cause', async () => {
    // Prepare
    mock.method(providers.crisisworks, 'login', async () => {
      throw new TypeError(`boom near ${PASSWORD}`);
    });
    // Act & Assess
    await assert.rejects(
      loginInstance(instance, { username: 'api', password: PASSWORD }, fastLoginOptions()),
      (error: Error) =>
        error instanceof ProviderRequestError &&
        error instanceof ProviderError &&
        error.message ===
          'instance "cw" (crisisworks): unexpected failure: TypeError: boom near [redacted]' &&
        error.cause === undefined,
    );
  });

  it('reports LoginAbortedError, caused by the abort reason, whatever the provider threw', async () => {
    // Prepare
    const controller = new AbortController();
    const reason = new Error('out of time');
    mock.method(providers.crisisworks, 'login', async () => {
      controller.abort(reason);
      throw new Error(`interrupted near ${PASSWORD}`);
    });
    // Act & Assess
    await assert.rejects(
      loginInstance(
        instance,
        { username: 'api', password: PASSWORD },
        fastLoginOptions({ signal: controller.signal }),
      ),
      (error: Error) =>
        error instanceof LoginAbortedError &&
        error.message === 'instance "cw" (crisisworks): the login was aborted' &&
        error.cause === reason,
    );
  });
});
