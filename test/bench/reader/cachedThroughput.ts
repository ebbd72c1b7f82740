import { getParameter } from '@aws-lambda-powertools/parameters/ssm';
import { getToken, TokenReader } from '../../../lambdas/reader/index.ts';
import type { BenchTable } from '../BenchSection.ts';
import { formatInteger, formatRatio } from '../formatTable.ts';
import { opsPerSecond } from '../measure.ts';
import type { ReaderBenchContext } from './ReaderBenchContext.ts';

/** Cached reads per second: ours (function and class) against Powertools `getParameter`. */
export async function cachedThroughput(context: ReaderBenchContext): Promise<BenchTable> {
  const { name, parameterName, maxAgeSeconds, ssm, prefix } = context;
  const reader = new TokenReader({ parameterPrefix: prefix, ssmClient: ssm });
  const powertoolsOptions = {
    decrypt: true,
    transform: 'json',
    maxAge: maxAgeSeconds,
  } as const;
  const candidates = [
    ['token-broker getToken(name)', () => getToken(name)],
    ['token-broker reader.getToken(name)', () => reader.getToken(name)],
    [
      `Powertools getParameter(…, maxAge ${maxAgeSeconds})`,
      () => getParameter(parameterName, powertoolsOptions),
    ],
  ] as const;
  for (const [, op] of candidates) await op();
  const rates = new Map<string, number[]>();
  for (let round = 0; round < 3; round += 1) {
    for (const [label, op] of candidates) {
      rates.set(label, [...(rates.get(label) ?? []), await opsPerSecond(op, 200, 3)]);
    }
  }
  const best = (label: string) => Math.max(...(rates.get(label) ?? [Number.NaN]));
  const peer = best(candidates[2][0]);
  return {
    title: 'Cached reads (one warm reader, value in memory)',
    columns: ['reader', 'ops/s', 'ns/op', 'vs Powertools'],
    rows: candidates.map(([label]) => [
      label,
      formatInteger(best(label)),
      formatInteger(1e9 / best(label)),
      formatRatio(best(label) / peer),
    ]),
    notes: [
      'Awaited calls back to back; best of 3 interleaved rounds of the median of 3 × 200 ms slices.',
      'Target: token-broker ≥ 1.00× Powertools.',
    ],
  };
}
