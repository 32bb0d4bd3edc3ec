import { registerAs } from '@nestjs/config';
import * as Joi from 'joi';

import { defineNamespace } from '../config-namespace';
import { integer, text } from '../env-variable';
import { getConfig } from '../load-config';

/** Background jobs on BullMQ; they run only where Redis is configured. */
export interface JobsConfig {
  /** Prefix of every BullMQ key, so several deployments (or test runs) can share one Redis index. */
  queuePrefix: string;
  tokenRefresh: {
    /** Seconds between scans for tokens inside the lead time; 0 = off in this instance. */
    scanSeconds: number;
    /** Connections read and enqueued per query. */
    batchSize: number;
    /** Refresh jobs one instance runs at once. */
    concurrency: number;
    /** Tries of one refresh before the job gives up (the next scan enqueues it again). */
    attempts: number;
    /** First retry delay; doubles with every further try. */
    backoffMs: number;
  };
}

export const jobsNamespace = defineNamespace({
  name: 'jobs',
  variables: {
    // Empty: the key builder's own jobs prefix (redisKeys.jobs in libs/platform).
    JOBS_QUEUE_PREFIX: text(
      Joi.string()
        .allow('')
        .pattern(/^[A-Za-z0-9:_-]{1,64}$/, 'letters, digits, ":", "_" or "-"')
        .required(),
    ),
    // 0 seconds: this instance neither schedules nor runs proactive refreshes.
    PROVIDER_REFRESH_SCAN_SECONDS: integer(Joi.number().integer().min(0).max(3600).required()),
    PROVIDER_REFRESH_BATCH_SIZE: integer(Joi.number().integer().min(1).max(10_000).required()),
    PROVIDER_REFRESH_CONCURRENCY: integer(Joi.number().integer().min(1).max(100).required()),
    PROVIDER_REFRESH_ATTEMPTS: integer(Joi.number().integer().min(1).max(50).required()),
    PROVIDER_REFRESH_BACKOFF_MS: integer(Joi.number().integer().min(100).max(3_600_000).required()),
  },
  map: (env): JobsConfig => ({
    queuePrefix: env.JOBS_QUEUE_PREFIX,
    tokenRefresh: {
      scanSeconds: env.PROVIDER_REFRESH_SCAN_SECONDS,
      batchSize: env.PROVIDER_REFRESH_BATCH_SIZE,
      concurrency: env.PROVIDER_REFRESH_CONCURRENCY,
      attempts: env.PROVIDER_REFRESH_ATTEMPTS,
      backoffMs: env.PROVIDER_REFRESH_BACKOFF_MS,
    },
  }),
});

export const jobsConfig = registerAs('jobs', (): JobsConfig => getConfig().jobs);
