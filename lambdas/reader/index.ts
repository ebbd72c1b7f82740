export * from './authorizationHeaders.ts';
export { ReaderDefaults, ReaderEnvironment } from './constants.ts';
export type { TokenEnvelope } from './contract/envelope.ts';
export * from './defaultTokenReader.ts';
export * from './errors.ts';
export * from './fetchWithToken.ts';
export * from './getToken.ts';
export * from './TokenReader.ts';
export type * from './TokenReaderOptions.ts';
