import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import type Redis from 'ioredis';
import type { FastifyRequest } from 'fastify';

import { authConfig, type AuthConfig } from '@dashtam/config';

import { REDIS_CLIENT } from '../redis/redis.tokens';
import { CounterStore, createCounterStore } from './counter.store';
import { CounterThrottlerStorage } from './counter-throttler.storage';
import { accountTracker, ipTracker } from './rate-limit.trackers';

/**
 * Rate limits and counters on the shared Redis (memory only in development without Redis). Routes
 * opt in with `@RateLimited()`; limits come from validated config (AUTH_RATE_LIMIT_*).
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [authConfig.KEY, REDIS_CLIENT],
      useFactory: (auth: AuthConfig, redis: Redis | null) => {
        const ttl = auth.rateLimit.windowSeconds * 1000;
        return {
          storage: new CounterThrottlerStorage(createCounterStore(redis)),
          setHeaders: false,
          throttlers: [
            { name: 'ip', ttl, limit: auth.rateLimit.perIp, getTracker: (req) => ipTracker(req as FastifyRequest) },
            {
              name: 'account',
              ttl,
              limit: auth.rateLimit.perAccount,
              getTracker: (req) => accountTracker(req as FastifyRequest) ?? '',
              skipIf: (context) => accountTracker(context.switchToHttp().getRequest<FastifyRequest>()) === null,
            },
          ],
        };
      },
    }),
  ],
  providers: [{ provide: CounterStore, inject: [REDIS_CLIENT], useFactory: createCounterStore }],
  exports: [CounterStore],
})
export class RateLimitModule {}
