export * from './TotpGuard.ts';
export * from './totpCode.ts';
