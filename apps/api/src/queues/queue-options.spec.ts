import { queueRootOptions } from './queue-options';

describe('queueRootOptions', () => {
  it('connects every queue and worker through REDIS_URL and prefixes every key', () => {
    expect(queueRootOptions({ url: 'redis://127.0.0.1:6379/3' }, { queuePrefix: 'dashtam:jobs' })).toEqual({
      connection: { url: 'redis://127.0.0.1:6379/3' },
      prefix: 'dashtam:jobs',
    });
  });

  it('refuses to build queues without Redis rather than let BullMQ dial its default address', () => {
    expect(() => queueRootOptions({ url: null }, { queuePrefix: 'dashtam:jobs' })).toThrow('queues need REDIS_URL');
  });
});
