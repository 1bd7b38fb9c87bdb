export * from './bootstrap';
export * from './platform.module';
export * from './health/readiness-check';
export * from './health/kafka-readiness';
export * from './logging/logger-options';
export * from './errors/http-error.filter';
export * from './graphql/graphql-error.formatter';
export * from './logging/nest-fields-logger';
