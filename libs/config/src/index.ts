export * from './config.module';
export * from './config-validation.error';
export * from './dashtam-config';
export * from './defaults';
export * from './environment';
export * from './load-config';
export * from './namespaces';
export * from './sensitive-keys';
