export * from './live-event';
export * from './wake-rule';
