export * from './fakeCode42.ts';
export * from './fakeCrisisworks.ts';
export * from './fakeOAuth2.ts';
export * from './makeUnsignedJwt.ts';
export * from './parseBasicAuth.ts';
export * from './randomTotpSeed.ts';
export * from './startFakeServer.ts';
export * from './TotpVerifier.ts';
