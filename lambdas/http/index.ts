export * from './abortableSleep.ts';
export * from './checkEndpoint.ts';
export * from './errors.ts';
export * from './HttpOptions.ts';
export * from './HttpRequest.ts';
export * from './readCappedBody.ts';
export * from './requestWithRetry.ts';
export * from './retryDelay.ts';
