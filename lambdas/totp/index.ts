export * from './errors.ts';
export * from './MemoryTotpStepStore.ts';
export * from './parseTotpSeed.ts';
export * from './TotpGuard.ts';
export * from './TotpStepStore.ts';
export * from './totpCode.ts';
