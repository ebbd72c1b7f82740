export * from './buildEnvelope.ts';
export * from './decodeJwtExp.ts';
export * from './errors.ts';
export * from './LoginOptions.ts';
export * from './loginInstance.ts';
export * from './processTotpGuard.ts';
export * from './registry.ts';
export * from './TokenProvider.ts';
