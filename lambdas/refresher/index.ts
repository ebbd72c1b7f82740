export * from './contract.ts';
export * from './createRefresherClients.ts';
export * from './errors.ts';
export * from './LoginFunction.ts';
export * from './RefreshCycleOptions.ts';
export * from './refreshDefaults.ts';
export * from './runRefreshCycle.ts';
export * from './StoredToken.ts';
