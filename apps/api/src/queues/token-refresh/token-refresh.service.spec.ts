import { Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';

import type { JobsConfig } from '@dashtam/config';
import type { ExpiringToken, ProviderConnectionsRepository } from '@dashtam/providers';

import { INSTITUTION_BACKOFF, REFRESH_JOB, refreshJobId } from './token-refresh.jobs';
import { FINISHED_JOB_RETENTION_SECONDS, TokenRefreshQueueService } from './token-refresh.service';

const jobs = (scanSeconds: number): JobsConfig => ({
  queuePrefix: 'test',
  tokenRefresh: { scanSeconds, batchSize: 2, concurrency: 3, attempts: 5, backoffMs: 700 },
});

/** The queue as far as the service uses it: jobs that already exist, and what was added or scheduled. */
class RecordingQueue {
  readonly added: Array<{ name: string; data: unknown; opts: Record<string, unknown> }[]> = [];
  readonly schedulers: unknown[][] = [];
  constructor(private readonly existing = new Set<string>()) {}
  on(): void {}
  toKey(id: string): string {
    return `test:provider-token-refresh:${id}`;
  }
  get client() {
    const keys: string[] = [];
    const pipeline = {
      exists: (key: string) => void keys.push(key),
      exec: async () => keys.map((key) => [null, this.existing.has(key) ? 1 : 0]),
    };
    return Promise.resolve({ pipeline: () => pipeline });
  }
  async addBulk(added: { name: string; data: unknown; opts: Record<string, unknown> }[]): Promise<void> {
    this.added.push(added);
  }
  async upsertJobScheduler(...args: unknown[]): Promise<void> {
    this.schedulers.push(args);
  }
}

function service(options: {
  queue?: RecordingQueue;
  batches?: ExpiringToken[][];
  horizons?: Date[];
  scanSeconds?: number;
}): TokenRefreshQueueService {
  const config = jobs(options.scanSeconds ?? 60);
  const connections = {
    async *expiringTokenBatches(horizon: Date, batchSize: number) {
      options.horizons?.push(horizon);
      expect(batchSize).toBe(config.tokenRefresh.batchSize);
      for (const batch of options.batches ?? []) yield batch;
    },
  } as unknown as ProviderConnectionsRepository;
  const queue = (options.queue ?? new RecordingQueue()) as unknown as Queue;
  return new TokenRefreshQueueService(queue, connections, { refreshLeadSeconds: 300 }, config);
}

const at = (s: string) => new Date(`2030-01-01T00:0${s}.000Z`);

describe('TokenRefreshQueueService', () => {
  describe('scan', () => {
    it('looks one lead time ahead and enqueues one refresh job per due token, batch by batch', async () => {
      const horizons: Date[] = [];
      const queue = new RecordingQueue();
      const batches = [
        [
          { connectionId: 'a', expiresAt: at('0:00') },
          { connectionId: 'b', expiresAt: at('1:00') },
        ],
        [{ connectionId: 'c', expiresAt: at('2:00') }],
      ];

      const due = await service({ queue, batches, horizons }).scan(new Date('2030-01-01T00:00:00.000Z'));

      expect(due).toBe(3);
      expect(horizons).toEqual([new Date('2030-01-01T00:05:00.000Z')]);
      const opts = (data: { connectionId: string; expiresAt: string }) => ({
        jobId: refreshJobId(data),
        attempts: 5,
        backoff: { type: INSTITUTION_BACKOFF, delay: 700 },
        removeOnComplete: { age: FINISHED_JOB_RETENTION_SECONDS },
        removeOnFail: { age: FINISHED_JOB_RETENTION_SECONDS },
      });
      const a = { connectionId: 'a', expiresAt: '2030-01-01T00:00:00.000Z' };
      const b = { connectionId: 'b', expiresAt: '2030-01-01T00:01:00.000Z' };
      const c = { connectionId: 'c', expiresAt: '2030-01-01T00:02:00.000Z' };
      expect(queue.added).toEqual([
        [
          { name: REFRESH_JOB, data: a, opts: opts(a) },
          { name: REFRESH_JOB, data: b, opts: opts(b) },
        ],
        [{ name: REFRESH_JOB, data: c, opts: opts(c) }],
      ]);
    });

    it('adds no job whose id already exists (a token still waiting from an earlier scan)', async () => {
      const waiting = refreshJobId({ connectionId: 'a', expiresAt: at('0:00').toISOString() });
      const queue = new RecordingQueue(new Set([`test:provider-token-refresh:${waiting}`]));
      const batches = [
        [
          { connectionId: 'a', expiresAt: at('0:00') },
          { connectionId: 'b', expiresAt: at('1:00') },
        ],
        [{ connectionId: 'a', expiresAt: at('0:00') }],
      ];

      await expect(service({ queue, batches }).scan()).resolves.toBe(3);

      expect(queue.added.map((bulk) => bulk.map((job) => job.opts.jobId))).toEqual([
        [refreshJobId({ connectionId: 'b', expiresAt: at('1:00').toISOString() })],
      ]);
    });

    it('enqueues nothing when nothing is due', async () => {
      const queue = new RecordingQueue();
      await expect(service({ queue, batches: [] }).scan()).resolves.toBe(0);
      expect(queue.added).toEqual([]);
    });
  });

  describe('at bootstrap', () => {
    let logged: string[];

    beforeEach(() => {
      logged = [];
      const record = (message: unknown) => void logged.push(String(message));
      jest.spyOn(Logger.prototype, 'log').mockImplementation(record);
      jest.spyOn(Logger.prototype, 'warn').mockImplementation(record);
    });
    afterEach(() => jest.restoreAllMocks());

    it('schedules one scan per interval under the one scheduler id every instance shares', async () => {
      const queue = new RecordingQueue();
      const scanning = service({ queue, scanSeconds: 60 });
      scanning.onApplicationBootstrap();
      await scanning.beforeApplicationShutdown();

      expect(queue.schedulers).toEqual([
        [
          'scan-expiring-tokens',
          { every: 60_000 },
          {
            name: 'scan',
            opts: { attempts: 1, removeOnComplete: true, removeOnFail: { age: FINISHED_JOB_RETENTION_SECONDS } },
          },
        ],
      ]);
      expect(logged).toEqual(['proactive token refresh: scan every 60s, 3 refreshes at once']);
    });

    it('with PROVIDER_REFRESH_SCAN_SECONDS=0 schedules nothing and says so once', async () => {
      const queue = new RecordingQueue();
      const off = service({ queue, scanSeconds: 0 });
      off.onApplicationBootstrap();
      await off.beforeApplicationShutdown();

      expect(queue.schedulers).toEqual([]);
      expect(logged).toEqual(['proactive token refresh is off in this instance: PROVIDER_REFRESH_SCAN_SECONDS=0']);
    });

    it('warns when scans are not more frequent than the lead time', async () => {
      const late = service({ scanSeconds: 300 });
      late.onApplicationBootstrap();
      await late.beforeApplicationShutdown();
      expect(logged[0]).toBe(
        'PROVIDER_REFRESH_SCAN_SECONDS is not below PROVIDER_TOKEN_REFRESH_LEAD_SECONDS: tokens may expire between scans',
      );
    });
  });
});
