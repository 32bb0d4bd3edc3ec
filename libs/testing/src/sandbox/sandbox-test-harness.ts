import { randomBytes } from 'node:crypto';

import { createSandboxApp, type SandboxAppOverrides, type SandboxHandle } from '@dashtam/sandbox-app';

import { OAuthTestClient } from './oauth-client';
import { SandboxControlsClient } from './sandbox-controls.client';

export type { SandboxAppOverrides, SandboxHandle };

export const TEST_REDIRECT_URI = 'https://127.0.0.1:8282/callback';

export interface SandboxUnderTest {
  sandbox: SandboxHandle;
  client: OAuthTestClient;
  controls: SandboxControlsClient;
}

/** A Sandbox on an ephemeral loopback port with a client secret minted for this run. */
export async function startSandbox(overrides: SandboxAppOverrides = {}): Promise<SandboxUnderTest> {
  const sandbox = await createSandboxApp({
    clientSecret: `test-secret-${randomBytes(12).toString('hex')}`,
    redirectUris: [TEST_REDIRECT_URI],
    controls: true,
    ...overrides,
  });
  const client = new OAuthTestClient(sandbox.url, {
    clientId: sandbox.options.clientId,
    clientSecret: sandbox.options.clientSecret,
    redirectUri: sandbox.options.redirectUris[0],
  });
  return { sandbox, client, controls: new SandboxControlsClient(sandbox.url) };
}
