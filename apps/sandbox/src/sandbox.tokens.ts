/** DI token for the instance's SandboxOptions. */
export const SANDBOX_OPTIONS = Symbol('SANDBOX_OPTIONS');
