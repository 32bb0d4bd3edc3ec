import type { DashtamConfig } from '@dashtam/config';

import { applyOverrides } from './test-config';

// Just the namespaces these cases touch; the merge does not care what else a config holds.
const base = {
  app: { trustProxy: false, logLevel: 'info', corsOrigins: ['https://a.example'] },
  auth: { lockout: { threshold: 5, windowSeconds: 900, durationSeconds: 900 }, requireVerifiedEmail: true },
  mail: { smtpUrl: 'smtp://relay.example', dir: '/var/mail' },
} as unknown as DashtamConfig;

describe('applyOverrides', () => {
  it('merges objects key by key and leaves every other value as it was', () => {
    const config = applyOverrides(base, { auth: { lockout: { threshold: 2 } } });
    expect(config.auth).toEqual({
      lockout: { threshold: 2, windowSeconds: 900, durationSeconds: 900 },
      requireVerifiedEmail: true,
    });
    expect(config.app).toBe(base.app);
  });

  it('replaces arrays, nulls and scalars whole', () => {
    const config = applyOverrides(base, {
      app: { trustProxy: ['127.0.0.1'], corsOrigins: [] },
      mail: { smtpUrl: null },
    } as never);
    expect(config.app).toMatchObject({ trustProxy: ['127.0.0.1'], corsOrigins: [], logLevel: 'info' });
    expect(config.mail).toEqual({ smtpUrl: null, dir: '/var/mail' });
  });

  it('never changes the configuration it started from', () => {
    const before = JSON.stringify(base);
    applyOverrides(base, { auth: { lockout: { threshold: 1 } }, mail: { dir: '/tmp/x' } });
    expect(JSON.stringify(base)).toBe(before);
  });
});
