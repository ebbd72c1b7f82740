export * from './buildEnvelope.ts';
export { decodeJwtExp } from './encoding.ts';
export * from './errors.ts';
export * from './LoginOptions.ts';
export * from './loginInstance.ts';
export * from './TokenProvider.ts';
