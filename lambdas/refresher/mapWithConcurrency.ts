/**
 * Maps items through an async function with at most `limit` calls in flight, keeping the input
 * order in the result. `fn` is expected not to reject (one rejection rejects the whole map).
 *
 * @example
 * const results = await mapWithConcurrency(instances, 8, (instance) => refresh(instance));
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError('limit must be a positive integer');
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
