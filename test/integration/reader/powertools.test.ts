import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { getParameter } from '@aws-lambda-powertools/parameters/ssm';
import { SSMClient } from '@aws-sdk/client-ssm';
import { tokenParameterName } from '../../../lambdas/reader/contract/names.ts';
import { TokenReader } from '../../../lambdas/reader/index.ts';
import { useMoto } from '../../support/moto.ts';
import { makeEnvelope, publish, TEST_PREFIX } from './fixtures.ts';

describe('Interop: Powertools parameters', () => {
  let ssm: SSMClient;

  useMoto();
  after(() => {
    ssm.destroy();
  });
  before(() => {
    ssm = new SSMClient({});
  });

  describe('Function: getParameter', () => {
    it('reads the same envelope as getToken with decrypt and the json transform', async () => {
      // Prepare
      const envelope = makeEnvelope('cw-sandbox');
      await publish(ssm, 'cw-sandbox', envelope);
      const reader = new TokenReader({ parameterPrefix: TEST_PREFIX, ssmClient: ssm });
      // Act
      const viaPowertools = await getParameter(tokenParameterName(TEST_PREFIX, 'cw-sandbox'), {
        decrypt: true,
        transform: 'json',
        maxAge: 300,
      });
      const viaReader = await reader.getToken('cw-sandbox');
      // Assess
      assert.deepEqual(viaPowertools, envelope);
      assert.deepEqual(viaPowertools, viaReader);
    });
  });
});
