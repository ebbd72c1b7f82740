import type { PacingLimits } from './pacingLimits.ts';
import { TokenBucket } from './TokenBucket.ts';

/** One bucket per paced API of the refresher's clients. */
export type RefresherPacers = { readonly [api in keyof PacingLimits]: TokenBucket };

/**
 * Creates a bucket per paced API. The refresher asks them how long a publish would wait
 * (`pacers.putParameter.delayMs()`) before it starts a login it could not publish in time.
 *
 * @example
 * const pacers = createPacers(pacingLimits.standard);
 * pacers.putParameter.delayMs(100); // => about 49,000 ms for the 100th of 100 PutParameter calls
 */
export function createPacers(limits: PacingLimits): RefresherPacers {
  return {
    putParameter: new TokenBucket(limits.putParameter),
    getParameters: new TokenBucket(limits.getParameters),
    getSecretValue: new TokenBucket(limits.getSecretValue),
    putSecretValue: new TokenBucket(limits.putSecretValue),
  };
}
