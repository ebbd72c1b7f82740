import { TokenReader } from './TokenReader.ts';

let reader: TokenReader | undefined;

/**
 * The reader behind `getToken`, `authorizationHeaders` and `fetchWithToken`: created on first use
 * from the environment (see `ReaderEnvironment`), then shared, so its cache lives as long as the
 * Lambda execution environment.
 *
 * @example
 * ```ts
 * getDefaultTokenReader().clearCache();
 * ```
 * @throws {ReaderConfigurationError} when the environment does not configure a reader
 */
export function getDefaultTokenReader(): TokenReader {
  reader ??= new TokenReader();
  return reader;
}
