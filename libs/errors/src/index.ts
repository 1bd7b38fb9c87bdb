export * from './error-code';
export * from './app-error';
export * from './error-body';
export * from './busy-error';
