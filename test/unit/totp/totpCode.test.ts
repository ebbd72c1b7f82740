import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import {
  InvalidTotpSeedError,
  parseTotpSeed,
  totpCode,
  totpStep,
} from '../../../lambdas/totp/index.ts';
import { randomTotpSeed } from '../../fakes/index.ts';

/** RFC 6238 Appendix B: the SHA-1 seed is the ASCII "12345678901234567890". */
const RFC_SEED = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
/** RFC 6238 Appendix B SHA-1 vectors (8 digits); a 6-digit code is the last six. */
const RFC_VECTORS = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
] as const;

function oathtool(seed: string, unixSeconds: number): string {
  return execFileSync(
    '/usr/bin/oathtool',
    [
      '--totp',
      '-b',
      '--now',
      `${new Date(unixSeconds * 1000)
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, ' UTC')}`,
      seed,
    ],
    { encoding: 'utf8' },
  ).trim();
}

describe('Function: totpCode', () => {
  for (const [seconds, expected] of RFC_VECTORS) {
    it(`gives the RFC 6238 SHA-1 code at T=${seconds}`, () => {
      // Act
      const code = totpCode(RFC_SEED, seconds * 1000);
      // Assess
      assert.equal(code, expected.slice(-6));
    });
  }

  it('equals oathtool --totp -b at the RFC instants and at random ones', () => {
    // Prepare
    const seed = randomTotpSeed();
    const instants = [59, 1111111109, 2000000000, Math.floor(Date.now() / 1000)];
    for (let index = 0; index < 5; index += 1) {
      instants.push(Math.floor(Math.random() * 4_000_000_000));
    }
    // Act
    const ours = instants.map((seconds) => totpCode(seed, seconds * 1000));
    const theirs = instants.map((seconds) => oathtool(seed, seconds));
    // Assess
    assert.deepEqual(ours, theirs);
    assert.equal(totpCode(RFC_SEED, 59_000), oathtool(RFC_SEED, 59));
  });

  it('accepts a seed with spaces, lower case and padding, as vendors show it', () => {
    // Act
    const code = totpCode('gezd gnbv gy3t qojq gezd gnbv gy3t qojq====', 59_000);
    // Assess
    assert.equal(code, '287082');
  });

  it('throws InvalidTotpSeedError, without the seed, when the seed is not base32', () => {
    // Act & Assess
    assert.throws(
      () => totpCode('NOT-BASE32-0189!!!!', 0),
      (error: Error) =>
        error instanceof InvalidTotpSeedError &&
        /not base32/.test(error.message) &&
        !error.message.includes('0189'),
    );
  });
});

describe('Function: parseTotpSeed', () => {
  it('throws InvalidTotpSeedError when the seed is empty', () => {
    // Act & Assess
    assert.throws(() => parseTotpSeed('  \n'), { name: 'InvalidTotpSeedError', message: /empty/ });
  });

  it('throws InvalidTotpSeedError naming the length when the seed is shorter than 80 bits', () => {
    // Act & Assess
    assert.throws(() => parseTotpSeed('JBSWY3DP'), {
      name: 'InvalidTotpSeedError',
      message: /too short \(8 base32 characters, at least 16 needed\)/,
    });
  });

  it('normalises spaces, dashes, case and padding', () => {
    // Act & Assess
    assert.equal(parseTotpSeed('jbsw-y3dp ehpk 3pxp=='), 'JBSWY3DPEHPK3PXP');
  });

  for (const [what, seed] of [
    ['dotless i, which upper-cases to I', 'ıııııııııııııııı'],
    ['long s, which upper-cases to S', 'ſſſſſſſſſſſſſſſſ'],
    ['a ligature, which upper-cases to FF', 'ﬀﬀﬀﬀﬀﬀﬀﬀ'],
    ['fullwidth letters', 'ＪＢＳＷＹ３ＤＰＥＨＰＫ３ＰＸＰ'],
    ['a no-break space', 'JBSWY3DP\u00a0EHPK3PXP'],
  ] as const) {
    it(`throws InvalidTotpSeedError for ${what}: ASCII base32 only`, () => {
      // Act & Assess
      assert.throws(() => parseTotpSeed(seed), {
        name: 'InvalidTotpSeedError',
        message: /not base32/,
      });
    });
  }
});

describe('Function: totpStep', () => {
  it('counts 30 second steps from the epoch', () => {
    // Act & Assess
    assert.equal(totpStep(59_000), 1);
    assert.equal(totpStep(60_000), 2);
  });
});
