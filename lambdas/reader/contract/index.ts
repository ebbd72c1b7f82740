export * from './envelope.ts';
export * from './names.ts';
export * from './refreshEvent.ts';
export * from './wireSafety.ts';
