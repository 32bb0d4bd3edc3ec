import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';

import { providersConfig, type ProvidersConfig } from '@dashtam/config';
import { redisKeys } from '@dashtam/platform';

import { REDIS_CLIENT } from '../infra/redis/redis.tokens';

const DAY_MS = 86_400_000;
// Counters outlive their UTC day by a day, so a process whose clock is a little behind still sees them.
const COUNTER_TTL_MS = 2 * DAY_MS;

/** The sync could not call the institution: today's budget of this connection is spent. */
export class BudgetExhaustedError extends Error {
  readonly code = 'PROVIDER.RATE_BUDGET_EXHAUSTED';

  constructor(
    readonly connectionId: string,
    readonly retryAfterSeconds: number,
  ) {
    super(`connection ${connectionId}: today's request budget is spent`);
    this.name = 'BudgetExhaustedError';
  }
}

/**
 * Daily budgets of institutions that count calls (SimpleFIN Bridge: ~24 `GET /accounts` a day per
 * connection; it blocks tokens past 96). Counted per connection and UTC day in Redis, so every api
 * instance and worker shares them; without Redis (development, one process) in memory. A connection
 * whose budget is spent is also put in the day's "spent" set, which the scheduler leaves alone.
 */
@Injectable()
export class ProviderCallBudget {
  private readonly memory = new Map<string, number>();

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis | null,
    @Inject(providersConfig.KEY) private readonly config: Pick<ProvidersConfig, 'simplefin'>,
  ) {}

  /** Calls a connection of this provider may make a UTC day; null: not budgeted. */
  limitOf(providerKey: string): number | null {
    return providerKey === 'simplefin' ? this.config.simplefin.dailyBudget : null;
  }

  /** Takes one call from today's budget; false (nothing taken that counts) when it is spent. */
  async spend(providerKey: string, connectionId: string, now = new Date()): Promise<boolean> {
    const limit = this.limitOf(providerKey);
    if (limit === null) return true;
    const day = utcDay(now);
    const key = redisKeys.providerBudget(providerKey, connectionId, day);
    let used: number;
    if (this.redis) {
      const [[, count]] = (await this.redis.multi().incr(key).pexpire(key, COUNTER_TTL_MS).exec()) as [
        [Error | null, number],
      ];
      used = count;
    } else {
      used = (this.memory.get(key) ?? 0) + 1;
      this.memory.set(key, used);
    }
    if (used >= limit) await this.markSpent(providerKey, connectionId, day);
    return used <= limit;
  }

  /** Calls left today; null when the provider is not budgeted. */
  async remaining(providerKey: string, connectionId: string, now = new Date()): Promise<number | null> {
    const limit = this.limitOf(providerKey);
    if (limit === null) return null;
    const key = redisKeys.providerBudget(providerKey, connectionId, utcDay(now));
    const used = this.redis ? Number((await this.redis.get(key)) ?? 0) : (this.memory.get(key) ?? 0);
    return Math.max(0, limit - used);
  }

  /** Connections whose budget of today is spent (any budgeted provider): the scheduler skips them. */
  async spentConnections(now = new Date()): Promise<string[]> {
    const key = redisKeys.providerBudgetSpent('simplefin', utcDay(now));
    if (this.redis) return this.redis.smembers(key);
    return [...this.memory.keys()].filter((k) => k.startsWith(`${key}:`)).map((k) => k.slice(key.length + 1));
  }

  private async markSpent(providerKey: string, connectionId: string, day: string): Promise<void> {
    const key = redisKeys.providerBudgetSpent(providerKey, day);
    if (this.redis) await this.redis.multi().sadd(key, connectionId).pexpire(key, COUNTER_TTL_MS).exec();
    else this.memory.set(`${key}:${connectionId}`, 1);
  }
}

/** Seconds until the next UTC midnight, when every budget starts again (at least 1). */
export function secondsToUtcMidnight(now = new Date()): number {
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  return Math.max(1, Math.ceil((midnight - now.getTime()) / 1000));
}

function utcDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}
