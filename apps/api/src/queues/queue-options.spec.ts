import { redisKeys } from '@dashtam/platform';

import { queueRootOptions } from './queue-options';

describe('queueRootOptions', () => {
  it('connects every queue and worker through REDIS_URL and prefixes every key', () => {
    expect(queueRootOptions({ url: 'redis://127.0.0.1:6379/3' }, { queuePrefix: 'tenant-a:jobs' })).toEqual({
      connection: { url: 'redis://127.0.0.1:6379/3' },
      prefix: 'tenant-a:jobs',
    });
  });

  it("without JOBS_QUEUE_PREFIX, uses the key builder's jobs prefix", () => {
    expect(queueRootOptions({ url: 'redis://127.0.0.1:6379/3' }, { queuePrefix: '' }).prefix).toBe(redisKeys.jobs);
  });

  it('refuses to build queues without Redis rather than let BullMQ dial its default address', () => {
    expect(() => queueRootOptions({ url: null }, { queuePrefix: '' })).toThrow('queues need REDIS_URL');
  });
});
