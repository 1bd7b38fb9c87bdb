export * from './infra';
export * from './test-env';
export * from './test-database';
export * from './service-app';
export * from './service-schema.suite';
export * from './free-port';
export * from './subgraph-client';
export * from './principals';
