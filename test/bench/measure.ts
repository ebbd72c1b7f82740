/** Timing figures of repeated runs, in milliseconds. */
export interface Timings {
  readonly mean: number;
  readonly p50: number;
  readonly p95: number;
}

/**
 * Awaited calls per second of `op`: runs it back to back for `rounds` slices of `sliceMs` and
 * keeps the median slice, so one garbage collection does not decide the figure.
 */
export async function opsPerSecond(
  op: () => Promise<unknown>,
  sliceMs = 250,
  rounds = 5,
): Promise<number> {
  const slices: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    let count = 0;
    const start = performance.now();
    while (performance.now() - start < sliceMs) {
      for (let i = 0; i < 500; i += 1) await op();
      count += 500;
    }
    slices.push(count / ((performance.now() - start) / 1000));
  }
  return median(slices);
}

/** Runs `op` `times` times one after another and summarises how long each run took. */
export async function timeEach(op: () => Promise<unknown>, times: number): Promise<Timings> {
  const durations: number[] = [];
  for (let run = 0; run < times; run += 1) {
    const start = performance.now();
    await op();
    durations.push(performance.now() - start);
  }
  const sorted = durations.toSorted((a, b) => a - b);
  return {
    mean: durations.reduce((sum, value) => sum + value, 0) / durations.length,
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
  };
}

function median(values: readonly number[]): number {
  return percentile(
    values.toSorted((a, b) => a - b),
    0.5,
  );
}

function percentile(sorted: readonly number[], fraction: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}
