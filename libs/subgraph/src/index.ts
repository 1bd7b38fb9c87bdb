export * from './subgraph.module';
export * from './subgraph-schema.writer';
