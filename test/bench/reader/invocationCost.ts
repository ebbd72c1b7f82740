import { SSMClient } from '@aws-sdk/client-ssm';
import { TokenReader } from '../../../lambdas/reader/index.ts';
import type { BenchTable } from '../BenchSection.ts';
import { formatInteger, formatMs } from '../formatTable.ts';
import { type Timings, timeEach } from '../measure.ts';
import { loginDirectly } from './loginDirectly.ts';
import type { ReaderBenchContext } from './ReaderBenchContext.ts';

const INVOCATIONS = 20;

/**
 * What one downstream invocation pays to have its Authorization header ready: logging in itself
 * against the fake Crisisworks (100 ms latency) or reading the broker's token.
 */
export async function invocationCost(context: ReaderBenchContext): Promise<BenchTable> {
  const { name, prefix, ssm, crisisworks } = context;
  const warm = new TokenReader({ parameterPrefix: prefix, ssmClient: ssm });
  await warm.getToken(name);
  const rows: [string, string, () => Promise<unknown>][] = [
    ['logs in directly (no broker)', 'every invocation', () => loginDirectly(context)],
    ['reader, cold start', 'new client + reader', () => coldRead(prefix, name)],
    [
      'reader, uncached',
      'forceFetch, warm client',
      () => warm.getToken(name, { forceFetch: true }),
    ],
    ['reader, cached', 'warm reader', () => warm.authorizationHeaders(name)],
  ];
  const results: [string, string, Timings, number][] = [];
  for (const [label, how, op] of rows) {
    const loginsBefore = crisisworks.logins;
    const timings = await timeEach(op, INVOCATIONS);
    results.push([label, how, timings, crisisworks.logins - loginsBefore]);
  }
  return {
    title: `Per-invocation cost of getting a usable token (${INVOCATIONS} invocations each)`,
    columns: ['downstream function', 'how', 'mean', 'p50', 'p95', 'provider logins'],
    rows: results.map(([label, how, timings, logins]) => [
      label,
      how,
      formatMs(timings.mean),
      formatMs(timings.p50),
      formatMs(timings.p95),
      formatInteger(logins),
    ]),
    notes: [
      'Fake Crisisworks adds 100 ms to every response; moto runs on loopback, so the reader rows',
      'show the floor: in AWS a GetParameter adds a few ms more. The API call that follows costs',
      'the same in every row and is left out.',
    ],
  };
}

async function coldRead(prefix: string, name: string): Promise<unknown> {
  const ssmClient = new SSMClient({});
  try {
    return await new TokenReader({ parameterPrefix: prefix, ssmClient }).authorizationHeaders(name);
  } finally {
    ssmClient.destroy();
  }
}
