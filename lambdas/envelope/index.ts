export * from './headerSafety.ts';
export * from './isAllowedEndpoint.ts';
export * from './lifetimes.ts';
export * from './names.ts';
export * from './parseEnvelope.ts';
export * from './parseTokenParameterValue.ts';
export * from './TokenEnvelope.ts';
