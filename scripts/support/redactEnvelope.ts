import { decodeJwt } from 'jose';
import type { TokenEnvelope } from '../../lambdas/reader/contract/index.ts';

/** Characters shown at each end of a redacted token: never more than an eighth of it, at most 4. */
function shownCharacters(length: number): number {
  return Math.min(4, Math.floor(length / 8));
}

/**
 * A token as an operator may see it: its first and last few characters and its length, such as
 * `eyJh…3x9Q (812 characters, redacted)`. A token shorter than 8 characters shows none of them.
 *
 * @example
 * redactToken('abcdefghijklmnopqrstuvwxyz0123456789'); // => 'abcd…6789 (36 characters, redacted)'
 */
export function redactToken(token: string): string {
  const shown = shownCharacters(token.length);
  const ends = shown === 0 ? '…' : `${token.slice(0, shown)}…${token.slice(-shown)}`;
  return `${ends} (${token.length} characters, redacted)`;
}

/** The claims of a JWT, decoded without verifying it; `undefined` for an opaque token. */
function jwtClaims(token: string): Record<string, unknown> | undefined {
  try {
    return { ...decodeJwt(token) };
  } catch {
    return undefined;
  }
}

/**
 * An envelope fit to print: the token redacted ({@link redactToken}) and, when it is a JWT, its
 * claims as `tokenClaims`. Everything else is as the refresher would publish it.
 *
 * @example
 * io.stdout.write(`${JSON.stringify(redactEnvelope(envelope), null, 2)}\n`);
 */
export function redactEnvelope(
  envelope: TokenEnvelope,
): Omit<TokenEnvelope, 'token'> & { token: string; tokenClaims?: Record<string, unknown> } {
  const claims = jwtClaims(envelope.token);
  return {
    ...envelope,
    token: redactToken(envelope.token),
    ...(claims === undefined ? {} : { tokenClaims: claims }),
  };
}
