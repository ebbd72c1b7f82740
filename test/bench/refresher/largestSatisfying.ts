/**
 * The largest whole number from 1 that satisfies `holds`, assuming that a number satisfies it
 * whenever a larger one does: doubling from `from` to bracket it, then a binary search. 0 when
 * not even 1 holds.
 *
 * @example
 * largestSatisfying((fleet) => simulate(fleet).steady.lapsed === 0); // => the largest fleet
 */
export function largestSatisfying(holds: (value: number) => boolean, from = 100): number {
  let low = 0;
  let high = from;
  while (holds(high)) {
    low = high;
    high *= 2;
  }
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (holds(middle)) low = middle;
    else high = middle;
  }
  return low;
}
