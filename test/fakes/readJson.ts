/**
 * Reads a fetch response's JSON body for assertions, as the shape the test expects (`T`); the
 * assertions then check the actual values.
 */
export async function readJson<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}
