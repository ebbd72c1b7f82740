export * from './brokerConfig.ts';
export * from './closestMatch.ts';
export * from './credentials.ts';
export * from './errors.ts';
export * from './parseBrokerConfig.ts';
export * from './providerTypes.ts';
export * from './readers.ts';
export * from './urls.ts';
