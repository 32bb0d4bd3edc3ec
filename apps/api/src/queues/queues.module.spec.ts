import { getQueueToken } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';

import { QueuesModule } from './queues.module';
import { TOKEN_REFRESH_QUEUE } from './token-refresh/token-refresh.jobs';

describe('QueuesModule without Redis (development in-memory mode)', () => {
  afterEach(() => jest.restoreAllMocks());

  it('registers no queue, opens no connection and says once that background jobs are off', async () => {
    const logged: string[] = [];
    jest.spyOn(Logger.prototype, 'log').mockImplementation((message: unknown) => void logged.push(String(message)));

    const module = await Test.createTestingModule({ imports: [QueuesModule.forRoot(null)] }).compile();
    await module.init();
    try {
      expect(() => module.get(getQueueToken(TOKEN_REFRESH_QUEUE), { strict: false })).toThrow();
      expect(logged.filter((line) => line.startsWith('background jobs'))).toEqual([
        'background jobs are off: no Redis configured (no proactive token refresh: tokens are refreshed on demand; syncs run in this process)',
      ]);
    } finally {
      await module.close();
    }
  });
});
