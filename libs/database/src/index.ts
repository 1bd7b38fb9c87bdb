export * from './connection';
export * from './migration-adapter';
export * from './engine-timers';
export * from './prisma-config';
export * from './prisma-cli';
export * from './migrate';
export * from './drift';
export * from './runtime';
