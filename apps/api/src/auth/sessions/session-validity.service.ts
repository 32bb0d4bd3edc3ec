import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type Redis from 'ioredis';
import type { DataSource } from 'typeorm';

import { authConfig, type AuthConfig } from '@dashtam/config';

import { REDIS_CLIENT } from '../../infra/redis/redis.tokens';

const KEY_PREFIX = 'dashtam:auth:session:';
const INVALID = '-';
// last_used_at is bookkeeping for the sessions list; a write per minute per session is plenty.
const TOUCH_INTERVAL_SECONDS = 60;
const MEMORY_CACHE_MAX = 10_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Answers "is this session live, and whose is it?" for every authenticated request. Results are
 * cached in Redis for AUTH_SESSION_CACHE_TTL_SECONDS (≤ 5 s) so a request costs one GET; revoking
 * a session deletes its key, so on shared Redis a revocation bites at once and at worst after the TTL.
 */
@Injectable()
export class SessionValidityService {
  private readonly logger = new Logger(SessionValidityService.name);
  private readonly ttlMs: number;
  // Development without Redis is single-instance, so a process-local cache is still coherent.
  private readonly memory = new Map<string, { value: string; expiresAt: number }>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(REDIS_CLIENT) private readonly redis: Redis | null,
    @Inject(authConfig.KEY) auth: AuthConfig,
  ) {
    this.ttlMs = auth.sessionCacheTtlSeconds * 1000;
  }

  /** The owner of a live session (not revoked, not expired, user active), else null. */
  async ownerOf(sessionId: string): Promise<string | null> {
    if (!UUID.test(sessionId)) return null;
    const cached = await this.read(sessionId);
    if (cached !== null) return cached === INVALID ? null : cached;
    const rows = (await this.dataSource.query(
      `SELECT s.user_id, s.last_used_at < now() - make_interval(secs => $2) AS stale
         FROM auth_sessions s JOIN users u ON u.id = s.user_id
        WHERE s.id = $1 AND s.revoked_at IS NULL AND s.expires_at > now()
          AND u.is_active AND u.deleted_at IS NULL`,
      [sessionId, TOUCH_INTERVAL_SECONDS],
    )) as Array<{ user_id: string; stale: boolean }>;
    const owner = rows[0]?.user_id ?? null;
    if (rows[0]?.stale) {
      await this.dataSource.query('UPDATE auth_sessions SET last_used_at = now() WHERE id = $1', [sessionId]);
    }
    await this.write(sessionId, owner ?? INVALID);
    return owner;
  }

  /**
   * Drops cached answers; call after the revoking transaction has committed. Should Redis be down,
   * the entries it holds expire by themselves within the TTL.
   */
  async forget(sessionIds: string[]): Promise<void> {
    if (sessionIds.length === 0) return;
    for (const id of sessionIds) this.memory.delete(id);
    if (!this.redis) return;
    await this.redis
      .del(...sessionIds.map((id) => `${KEY_PREFIX}${id}`))
      .catch((error: Error) => this.logger.warn(`session cache not cleared: ${error.message}`));
  }

  // The cache only saves work: when Redis fails, the database answers.
  private async read(sessionId: string): Promise<string | null> {
    if (this.ttlMs === 0) return null;
    if (this.redis) return this.redis.get(`${KEY_PREFIX}${sessionId}`).catch(() => null);
    const entry = this.memory.get(sessionId);
    if (!entry || entry.expiresAt <= Date.now()) return null;
    return entry.value;
  }

  private async write(sessionId: string, value: string): Promise<void> {
    if (this.ttlMs === 0) return;
    if (this.redis) {
      await this.redis.set(`${KEY_PREFIX}${sessionId}`, value, 'PX', this.ttlMs).catch(() => undefined);
      return;
    }
    if (this.memory.size >= MEMORY_CACHE_MAX) this.memory.clear();
    this.memory.set(sessionId, { value, expiresAt: Date.now() + this.ttlMs });
  }
}
