export * from './TokenParameter.ts';
export * from './TokenParameterState.ts';
export * from './tokenParameterProvider.ts';
