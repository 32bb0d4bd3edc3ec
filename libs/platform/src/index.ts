export * from './bootstrap';
export * from './logging';
export * from './tls';
export * from './liveness.controller';
export * from './html';
export * from './redis-keys';
export * from './serial-queue';
