export * from './infra';
export * from './test-env';
export * from './test-database';
export * from './service-app';
