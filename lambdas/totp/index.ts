export * from './errors.ts';
export * from './parseTotpSeed.ts';
export * from './TotpGuard.ts';
export * from './totpCode.ts';
