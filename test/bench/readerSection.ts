import { SSMClient } from '@aws-sdk/client-ssm';
import { tokenParameterName } from '../../lambdas/reader/contract/names.ts';
import { ReaderEnvironment } from '../../lambdas/reader/index.ts';
import { startFakeCrisisworks } from '../fakes/index.ts';
import { makeEnvelope, publish } from '../integration/reader/fixtures.ts';
import { startMoto } from '../support/moto.ts';
import type { BenchSection, BenchTable } from './BenchSection.ts';
import { bundleSize } from './reader/bundleSize.ts';
import { cachedThroughput } from './reader/cachedThroughput.ts';
import { coldCallers } from './reader/coldCallers.ts';
import { invocationCost } from './reader/invocationCost.ts';
import { loginDirectly } from './reader/loginDirectly.ts';
import type { ReaderBenchContext } from './reader/ReaderBenchContext.ts';

const PREFIX = '/token-broker/bench';
const NAME = 'cw-bench';
const LIFETIME_SECONDS = 3600;
const MIN_VALIDITY_SECONDS = 60;

/**
 * The reader against Powertools parameters and against logging in directly: moto for SSM, the
 * fake Crisisworks with 100 ms latency for the login.
 */
export const readerSection: BenchSection = {
  name: 'reader',
  title: 'Reader: token-broker/reader',
  async run(): Promise<readonly BenchTable[]> {
    const moto = await startMoto();
    const account = { site: 'bench', username: 'api-user', password: 'bench-password' };
    const crisisworks = await startFakeCrisisworks({ ...account, latencyMs: 100 });
    const ssm = new SSMClient({});
    try {
      process.env[ReaderEnvironment.parameterPrefix] = PREFIX;
      const context: ReaderBenchContext = {
        prefix: PREFIX,
        name: NAME,
        parameterName: tokenParameterName(PREFIX, NAME),
        maxAgeSeconds: LIFETIME_SECONDS - MIN_VALIDITY_SECONDS,
        ssm,
        crisisworks,
        account,
      };
      const headers = await loginDirectly(context);
      const token = (headers.Authorization ?? '').replace(/^Bearer /, '');
      await publish(
        ssm,
        NAME,
        makeEnvelope(
          NAME,
          { token, baseUrl: crisisworks.url, headers: { 'X-Site': account.site } },
          LIFETIME_SECONDS,
        ),
        PREFIX,
      );
      return [
        await cachedThroughput(context),
        await coldCallers(context),
        await invocationCost(context),
        await bundleSize(),
      ];
    } finally {
      ssm.destroy();
      await crisisworks.close();
      await moto.stop();
    }
  },
};
