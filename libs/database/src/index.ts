export * from './admin';
export * from './data-source-options';
export * from './database.module';
export * from './entities';
export * from './migration-runner';
export * from './schema-drift';
export * from './testing/test-db-bootstrap';
export * from './query-errors';
