import type { QueueOptions } from 'bullmq';

import type { JobsConfig, RedisConfig } from '@dashtam/config';
import { redisKeys } from '@dashtam/platform';

/**
 * What every queue and worker shares, in one place: REDIS_URL, from which BullMQ opens (and on close
 * ends) its own connections — the blocking ones with the `maxRetriesPerRequest: null` BullMQ needs —
 * and JOBS_QUEUE_PREFIX on every key, so deployments or test runs can share one Redis index.
 */
export function queueRootOptions(redis: RedisConfig, jobs: Pick<JobsConfig, 'queuePrefix'>): QueueOptions {
  // QueuesModule registers no queue without Redis; BullMQ would otherwise dial 127.0.0.1:6379.
  if (!redis.url) throw new Error('queues need REDIS_URL');
  return { connection: { url: redis.url }, prefix: jobs.queuePrefix || redisKeys.jobs };
}
