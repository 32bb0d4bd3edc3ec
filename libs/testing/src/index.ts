// The shared test harness (`@dashtam/testing`): every app's and lib's suites import it from here.
// It embeds the apps through their `@dashtam/<app>-app` entries; production code never imports it.
export * from './api/api-cluster';
export * from './api/auth-api';
export * from './api/financial-api';
export * from './api/financial-repositories';
export * from './api/linking-stack';
export * from './api/process-harness';
export * from './api/providers-api';
export * from './api/queues';
export * from './api/routes';
export * from './api/syncs-api';
export * from './api/test-app';
export * from './api/users.factory';
export * from './callback/start-callback-app';
export * from './config/test-config';
export * from './mail/mail-message';
export * from './faults/private-servers';
export * from './faults/tcp-relay';
export * from './logs/process-output';
export * from './mail/mailbox';
export * from './sandbox/oauth-client';
export * from './sandbox/sandbox-controls.client';
export * from './sandbox/sandbox-test-harness';
export * from './wait/failure-of';
export * from './wait/wait-for';
