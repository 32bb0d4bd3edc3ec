import type { MinimalJob } from 'bullmq';

import type { JobsConfig } from '@dashtam/config';
import {
  ConnectionNotConnectedError,
  ProviderError,
  ProviderUnavailableError,
  ReauthRequiredError,
  type TokenRefreshService,
} from '@dashtam/providers';

import { institutionBackoff, institutionBackoffMs, TokenRefreshProcessor } from './token-refresh.processor';
import { INSTITUTION_BACKOFF, refreshJobId } from './token-refresh.jobs';
import type { TokenRefreshQueueService } from './token-refresh.service';

const CONNECTION = '3f1c0d2e-8a4b-4c6d-9e0f-112233445566';
const JOBS: JobsConfig = {
  queuePrefix: 'test',
  tokenRefresh: { scanSeconds: 60, batchSize: 2, concurrency: 4, attempts: 5, backoffMs: 1000 },
};

function processor(refreshIfDue: TokenRefreshService['refreshIfDue']): TokenRefreshProcessor {
  const tokens = { refreshIfDue } as unknown as TokenRefreshService;
  return new TokenRefreshProcessor({} as TokenRefreshQueueService, tokens, JOBS);
}

describe('TokenRefreshProcessor', () => {
  describe('refresh', () => {
    const data = { connectionId: CONNECTION, expiresAt: '2030-01-01T00:00:00.000Z' };

    it('asks the vault for a valid token with the job id as request id and keeps no token in the result', async () => {
      const calls: unknown[] = [];
      const result = await processor(async (connectionId, context) => {
        calls.push([connectionId, context]);
        return {
          connectionId,
          accessToken: 'secret-access-token',
          tokenType: 'Bearer',
          expiresAt: new Date('2030-01-01T00:30:00.000Z'),
        };
      }).refresh('job-1', data);

      expect(calls).toEqual([[CONNECTION, { requestId: 'job-1' }]]);
      expect(result).toEqual({ outcome: 'current', expiresAt: '2030-01-01T00:30:00.000Z' });
      expect(JSON.stringify(result)).not.toContain('secret');
    });

    it('ends the job when the institution refused for good (the vault recorded requires_reauth)', async () => {
      const result = await processor(() =>
        Promise.reject(new ReauthRequiredError(CONNECTION, 'refresh_refused')),
      ).refresh('job-1', data);
      expect(result).toEqual({ outcome: 'requires_reauth', expiresAt: null });
    });

    it('ends the job when the connection was disconnected since the scan', async () => {
      const result = await processor(() => Promise.reject(new ConnectionNotConnectedError(CONNECTION))).refresh(
        'job-1',
        data,
      );
      expect(result).toEqual({ outcome: 'not_connected', expiresAt: null });
    });

    it('rethrows transient failures so BullMQ retries them', async () => {
      const unavailable = new ProviderUnavailableError(CONNECTION, new Error('timeout'));
      await expect(processor(() => Promise.reject(unavailable)).refresh('job-1', data)).rejects.toBe(unavailable);
    });
  });
});

describe('institutionBackoffMs', () => {
  const noJitter = () => 0;

  it('doubles from the base delay', () => {
    expect([1, 2, 3, 4].map((n) => institutionBackoffMs(n, 1000, new Error('x'), noJitter))).toEqual([
      1000, 2000, 4000, 8000,
    ]);
  });

  it('spreads a delay downwards by at most a fifth', () => {
    expect(institutionBackoffMs(2, 1000, new Error('x'), () => 1)).toBe(1600);
    expect(institutionBackoffMs(2, 1000, new Error('x'), () => 0.5)).toBe(1800);
  });

  it("never retries sooner than the institution's Retry-After", () => {
    const limited = new ProviderUnavailableError(
      CONNECTION,
      new ProviderError({
        providerKey: 'sandbox',
        operation: 'refresh',
        classification: 'transient',
        kind: 'http_status',
        status: 429,
      }),
      30_000,
    );
    expect(institutionBackoffMs(1, 1000, limited, noJitter)).toBe(30_000);
    expect(institutionBackoffMs(7, 1000, limited, noJitter)).toBe(64_000);
  });
});

describe('institutionBackoff (the worker setting)', () => {
  afterEach(() => jest.restoreAllMocks());

  it('doubles the delay the job was enqueued with', () => {
    jest.spyOn(Math, 'random').mockReturnValue(0);
    const job = { opts: { backoff: { type: INSTITUTION_BACKOFF, delay: 300 } } } as MinimalJob;
    expect([1, 2, 3].map((n) => institutionBackoff(n, INSTITUTION_BACKOFF, new Error('x'), job))).toEqual([
      300, 600, 1200,
    ]);
  });
});

describe('refreshJobId', () => {
  it('is the same for the same connection and expiry, and differs once the expiry moves', () => {
    const first = refreshJobId({ connectionId: CONNECTION, expiresAt: '2030-01-01T00:00:00.000Z' });
    expect(first).toBe(`refresh-${CONNECTION}-${Date.UTC(2030, 0, 1)}`);
    expect(refreshJobId({ connectionId: CONNECTION, expiresAt: '2030-01-01T00:00:00.000Z' })).toBe(first);
    expect(refreshJobId({ connectionId: CONNECTION, expiresAt: '2030-01-01T00:30:00.000Z' })).not.toBe(first);
    // BullMQ refuses custom ids with ':' and ids that parse as integers.
    expect(first).not.toContain(':');
  });
});
