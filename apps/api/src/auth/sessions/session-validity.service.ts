import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Cache } from 'cache-manager';

import { authConfig, type AuthConfig } from '@dashtam/config';
import { redisKeys } from '@dashtam/platform';

import { AuthSessionsRepository } from './auth-sessions.repository';

const INVALID = '-';
// last_used_at is bookkeeping for the sessions list; a write per minute per session is plenty.
const TOUCH_INTERVAL_SECONDS = 60;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Answers "is this session live, and whose is it?" for every authenticated request. Answers are kept
 * in the Nest cache (Redis, shared by every instance) for AUTH_SESSION_CACHE_TTL_SECONDS (≤ 5 s) so a
 * request costs one GET; revoking a session deletes its entry, so a revocation bites at once on every
 * instance, and one made behind the api's back at worst after the TTL.
 */
@Injectable()
export class SessionValidityService {
  private readonly logger = new Logger(SessionValidityService.name);
  private readonly ttlMs: number;

  constructor(
    private readonly sessions: AuthSessionsRepository,
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
    @Inject(authConfig.KEY) auth: AuthConfig,
  ) {
    this.ttlMs = auth.sessionCacheTtlSeconds * 1000;
  }

  /** The owner of a live session (not revoked, not expired, user active), else null. */
  async ownerOf(sessionId: string): Promise<string | null> {
    if (!UUID.test(sessionId)) return null;
    const cached = await this.read(sessionId);
    if (cached !== null) return cached === INVALID ? null : cached;
    const live = await this.sessions.liveOwner(sessionId, TOUCH_INTERVAL_SECONDS);
    const owner = live?.userId ?? null;
    if (live?.stale) await this.sessions.touch(sessionId);
    await this.write(sessionId, owner ?? INVALID);
    return owner;
  }

  /**
   * Drops cached answers; call after the revoking transaction has committed. Should the cache be
   * unreachable, the entries it holds expire by themselves within the TTL.
   */
  async forget(sessionIds: string[]): Promise<void> {
    if (sessionIds.length === 0) return;
    await this.cache
      .mdel(sessionIds.map((id) => redisKeys.session(id)))
      .catch((error: Error) => this.logger.warn(`session cache not cleared: ${error.message}`));
  }

  // The cache only saves work: when it fails, the database answers.
  private async read(sessionId: string): Promise<string | null> {
    if (this.ttlMs === 0) return null;
    const cached = await this.cache.get<string>(redisKeys.session(sessionId)).catch(() => undefined);
    return cached ?? null;
  }

  private async write(sessionId: string, value: string): Promise<void> {
    if (this.ttlMs === 0) return;
    await this.cache
      .set(redisKeys.session(sessionId), value, this.ttlMs)
      .catch((error: Error) => this.logger.warn(`session cache not updated: ${error.message}`));
  }
}
