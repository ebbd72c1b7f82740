export * from './delays.ts';
export * from './errors.ts';
export * from './HttpOptions.ts';
export * from './requestWithRetry.ts';
