export * from './live-event';
