import { loadConfig } from '@dashtam/config';

import { sandboxOptionsFromConfig } from './sandbox-options';

describe('sandboxOptionsFromConfig', () => {
  it("registers the callback app's redirect URI plus the configured extras, once each", () => {
    const config = loadConfig({
      ENVIRONMENT: 'testing',
      CALLBACK_PUBLIC_URL: 'https://127.0.0.1:9443/',
      SANDBOX_REDIRECT_URIS: 'http://localhost:3000/cb, https://127.0.0.1:9443/callback',
      SANDBOX_ROTATION: 'static',
      SANDBOX_REUSE_GRACE_SECONDS: '30',
    });
    const options = sandboxOptionsFromConfig(config);
    expect(options.redirectUris).toEqual(['https://127.0.0.1:9443/callback', 'http://localhost:3000/cb']);
    expect(options).toEqual(
      expect.objectContaining({
        clientId: 'dashtam-sandbox-client',
        accessTtlSeconds: 1800,
        refreshTtlSeconds: 604_800,
        codeTtlSeconds: 30,
        rotation: 'static',
        reuseGraceSeconds: 30,
        autoApprove: false,
        user: 'sandbox-user',
        transactionsPageLimit: 3000,
      }),
    );
  });
});
