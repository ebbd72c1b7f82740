import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { InvalidTotpSeedError, parseTotpSeed } from '../../../lambdas/totp/index.ts';
import { FUZZ_PARAMETERS } from './fuzzRuns.ts';

/** Seeds as people paste them: base32 in either case, spaces, dashes, padding, and any Unicode. */
const seeds = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.stringMatching(/^[A-Za-z2-7 \t-]{10,40}=*$/),
  fc
    .tuple(
      fc.stringMatching(/^[A-Z2-7]{16,32}$/),
      fc.constantFrom('ı', 'ſ', 'ﬀ', 'K', '\u00a0', 'Ａ', 'é'),
    )
    .map(([seed, odd]) => `${seed.slice(0, 8)}${odd}${seed.slice(8)}`),
);

describe('Function: parseTotpSeed (property-based)', () => {
  it('returns ASCII base32 of at least 16 characters taken from ASCII input, or throws InvalidTotpSeedError', () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        let parsed: string;
        try {
          parsed = parseTotpSeed(seed);
        } catch (error) {
          assert.ok(error instanceof InvalidTotpSeedError, String(error));
          return;
        }
        assert.match(parsed, /^[A-Z2-7]{16,}$/);
        assert.match(seed, /^[A-Za-z2-7 \t\r\n-]*=*[ \t\r\n-]*$/);
        assert.equal(parsed, seed.replace(/[^A-Za-z2-7]/g, '').toUpperCase());
      }),
      FUZZ_PARAMETERS,
    );
  });
});
