/**
 * Runs per property of the fuzz tests: 200 by default, so each file stays well under 2 s in
 * `npm test`; set `FUZZ_RUNS` (such as `FUZZ_RUNS=20000`) for a longer run.
 *
 * @example
 * fc.assert(fc.property(fc.string(), (text) => check(text)), FUZZ_PARAMETERS);
 */
export const FUZZ_PARAMETERS = { numRuns: fuzzRuns() } as const;

function fuzzRuns(): number {
  const text = process.env.FUZZ_RUNS?.trim();
  if (text === undefined || text === '') return 200;
  const runs = Number(text);
  if (!Number.isInteger(runs) || runs < 1) {
    throw new Error(`FUZZ_RUNS must be a positive whole number, got "${text}"`);
  }
  return runs;
}
