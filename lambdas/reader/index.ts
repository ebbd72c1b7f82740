export { ReaderDefaults, ReaderEnvironment } from './constants.ts';
export type { TokenEnvelope } from './contract/envelope.ts';
export * from './defaultReader.ts';
export * from './errors.ts';
export { TokenReader } from './TokenReader.ts';
export type * from './TokenReaderOptions.ts';
