import { Logger } from '@nestjs/common';

import type { JobsConfig } from '@dashtam/config';

import type { TokenRefreshProcessor } from './token-refresh.processor';
import { TokenRefreshScheduler } from './token-refresh.scheduler';

const jobs = (scanSeconds: number): JobsConfig => ({
  queuePrefix: 'test',
  tokenRefresh: { scanSeconds, batchSize: 10, concurrency: 1, attempts: 1, backoffMs: 1000 },
});

describe('TokenRefreshScheduler when it must stay off', () => {
  let logged: string[];

  beforeEach(() => {
    logged = [];
    jest.spyOn(Logger.prototype, 'log').mockImplementation((message: unknown) => void logged.push(String(message)));
  });
  afterEach(() => jest.restoreAllMocks());

  const scheduler = (redisUrl: string | null, scanSeconds: number) =>
    new TokenRefreshScheduler({} as TokenRefreshProcessor, { url: redisUrl }, jobs(scanSeconds), {
      refreshLeadSeconds: 300,
    });

  it('without Redis (development in-memory mode) says so once and opens no connection', async () => {
    const off = scheduler(null, 60);
    off.onApplicationBootstrap();
    expect(logged).toEqual([
      'proactive token refresh is off: no Redis configured (tokens are still refreshed on demand)',
    ]);
    // Nothing was started, so shutdown has nothing to wait for.
    await expect(off.beforeApplicationShutdown()).resolves.toBeUndefined();
  });

  it('with PROVIDER_REFRESH_SCAN_SECONDS=0 says so once and opens no connection', async () => {
    const off = scheduler('redis://127.0.0.1:1/15', 0);
    off.onApplicationBootstrap();
    expect(logged).toEqual(['proactive token refresh is off in this instance: PROVIDER_REFRESH_SCAN_SECONDS=0']);
    await expect(off.beforeApplicationShutdown()).resolves.toBeUndefined();
  });
});
