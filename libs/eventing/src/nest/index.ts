// `@mission-control/eventing/nest`: apart from the package index, so users without Nest never load it.
export * from './event-bus.strategy';
export * from './start-event-handlers';
export * from './event-sourced-service.module';
