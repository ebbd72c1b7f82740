import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { SSMClient } from '@aws-sdk/client-ssm';
import { TokenReader } from '../../../lambdas/reader/index.ts';
import { countSends } from '../../integration/reader/fixtures.ts';
import type { BenchTable } from '../BenchSection.ts';
import { formatInteger, formatMs } from '../formatTable.ts';
import type { ReaderBenchContext } from './ReaderBenchContext.ts';

const CALLERS = 100;

/** 100 callers ask a cold reader at once: how many SSM calls each library makes. */
export async function coldCallers(context: ReaderBenchContext): Promise<BenchTable> {
  const { name, parameterName, maxAgeSeconds, prefix } = context;
  const ours = await measure((ssmClient) => {
    const reader = new TokenReader({ parameterPrefix: prefix, ssmClient });
    return () => reader.getToken(name);
  });
  const peer = await measure((awsSdkV3Client) => {
    const provider = new SSMProvider({ awsSdkV3Client });
    return () =>
      provider.get(parameterName, { decrypt: true, transform: 'json', maxAge: maxAgeSeconds });
  });
  return {
    title: `${CALLERS} concurrent callers, cold cache`,
    columns: ['reader', 'SSM GetParameter calls', 'all answered in'],
    rows: [
      ['token-broker reader.getToken', formatInteger(ours.calls), formatMs(ours.ms)],
      ['Powertools SSMProvider.get', formatInteger(peer.calls), formatMs(peer.ms)],
    ],
    notes: [
      'Calls counted by a middleware on each library’s own SSMClient (retries excluded).',
      'Ours must be 1: concurrent misses share one read.',
    ],
  };
}

async function measure(
  makeRead: (client: SSMClient) => () => Promise<unknown>,
): Promise<{ calls: number; ms: number }> {
  const client = new SSMClient({});
  try {
    const sends = countSends(client);
    const read = makeRead(client);
    const start = performance.now();
    await Promise.all(Array.from({ length: CALLERS }, () => read()));
    return { calls: sends.count('GetParameterCommand'), ms: performance.now() - start };
  } finally {
    client.destroy();
  }
}
