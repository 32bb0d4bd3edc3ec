export * from './app.error';
export * from './error-codes';
export * from './library-errors';
export * from './problem-details';
