import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Cache } from 'cache-manager';

import { authConfig, type AuthConfig } from '@dashtam/config';
import { redisKeys } from '@dashtam/platform';

import { MEMORY_TIER_TTL_MS } from '../../infra/cache/app-cache.module';
import { AuthSessionsRepository } from './auth-sessions.repository';

const INVALID = '-';
// last_used_at is bookkeeping for the sessions list; a write per minute per session is plenty.
const TOUCH_INTERVAL_SECONDS = 60;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Answers "is this session live, and whose is it?" for every authenticated request. Answers are kept
 * in the Nest cache for AUTH_SESSION_CACHE_TTL_SECONDS (≤ 5 s) in all: a hot session is answered from
 * the process's memory tier (≤ MEMORY_TIER_TTL_MS), then from Redis (shared by every instance) for the
 * rest of the budget, then from the database. Revoking a session deletes its entry in Redis and in the
 * revoking instance's memory, so the revocation bites there at once and on every other instance within
 * the memory tier's TTL; one made behind the api's back bites everywhere within the whole TTL.
 */
@Injectable()
export class SessionValidityService {
  private readonly logger = new Logger(SessionValidityService.name);
  private readonly ttlMs: number;
  /** What Redis keeps an answer for: the budget less the memory tier's share, so no answer outlives it. */
  private readonly sharedTtlMs: number;

  constructor(
    private readonly sessions: AuthSessionsRepository,
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
    @Inject(authConfig.KEY) auth: AuthConfig,
  ) {
    this.ttlMs = auth.sessionCacheTtlSeconds * 1000;
    this.sharedTtlMs = this.ttlMs - Math.min(MEMORY_TIER_TTL_MS, this.ttlMs / 2);
  }

  /** The owner of a live session (not revoked, not expired, user active), else null. */
  async ownerOf(sessionId: string): Promise<string | null> {
    if (!UUID.test(sessionId)) return null;
    // The cache only saves work: an unreachable Redis is a miss, and a failed write is logged by the cache.
    const answer =
      this.ttlMs === 0
        ? await this.lookup(sessionId)
        : await this.cache.wrap(redisKeys.session(sessionId), () => this.lookup(sessionId), this.sharedTtlMs);
    return answer === INVALID ? null : answer;
  }

  /**
   * Drops cached answers; call after the revoking transaction has committed. Should Redis be
   * unreachable, the entries it holds expire by themselves within the TTL.
   */
  async forget(sessionIds: string[]): Promise<void> {
    if (sessionIds.length === 0) return;
    await this.cache
      .mdel(sessionIds.map((id) => redisKeys.session(id)))
      .catch((error: Error) => this.logger.warn(`session cache not cleared: ${error.message}`));
  }

  private async lookup(sessionId: string): Promise<string> {
    const live = await this.sessions.liveOwner(sessionId, TOUCH_INTERVAL_SECONDS);
    if (live?.stale) await this.sessions.touch(sessionId);
    return live?.userId ?? INVALID;
  }
}
