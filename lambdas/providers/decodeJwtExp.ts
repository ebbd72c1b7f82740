/**
 * The `exp` claim (seconds since the epoch) of a JWT, decoded without verifying the signature:
 * the broker only needs to know when the server says the token ends. `undefined` for a token that
 * is not a JWT (opaque), or whose payload has no numeric `exp`.
 *
 * @example
 * decodeJwtExp('eyJhbGciOiJub25lIn0.eyJleHAiOjE3OTU0MzQzNDh9.'); // => 1795434348
 */
export function decodeJwtExp(token: string): number | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[1] === undefined || !/^[A-Za-z0-9_-]+$/.test(parts[1])) {
    return undefined;
  }
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof payload !== 'object' || payload === null) return undefined;
  const exp = (payload as Record<string, unknown>).exp;
  return typeof exp === 'number' && Number.isFinite(exp) ? exp : undefined;
}
