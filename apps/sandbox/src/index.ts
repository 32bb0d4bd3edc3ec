// What the Sandbox offers to code that embeds it: the test harness in libs/testing
// (`@dashtam/sandbox-app`) starts it in process. Nothing else imports this file.
export { createSandboxApp, type SandboxAppOverrides, type SandboxHandle } from './sandbox-app';
