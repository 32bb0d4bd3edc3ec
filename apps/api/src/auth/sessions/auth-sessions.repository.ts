import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager, IsNull, MoreThan } from 'typeorm';

import { AuthSessionEntity, RefreshTokenEntity, type SessionRevokeReason } from '@dashtam/database';

import type { ClientContext } from '../../common/decorators/client-context.decorator';

export interface NewSession {
  userId: string;
  expiresAt: Date;
  client: ClientContext;
}

export interface NewRefreshToken {
  id: string;
  sessionId: string;
  tokenHash: string;
  expiresAt: Date;
}

/**
 * The one owner of `auth_sessions` and `refresh_tokens` statements: sign-in, rotation, revocation and
 * the per-request liveness check all go through here. Methods that take a manager run inside the
 * caller's transaction.
 */
@Injectable()
export class AuthSessionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  create(session: NewSession, manager: EntityManager): Promise<AuthSessionEntity> {
    return manager.getRepository(AuthSessionEntity).save({
      userId: session.userId,
      lastUsedAt: new Date(),
      expiresAt: session.expiresAt,
      revokedAt: null,
      revokedReason: null,
      userAgent: session.client.userAgent,
      ipAddress: session.client.ipAddress,
    });
  }

  async insertRefreshToken(token: NewRefreshToken, manager: EntityManager): Promise<void> {
    await manager.getRepository(RefreshTokenEntity).insert({ ...token, usedAt: null });
  }

  /** A refresh token by its public id, with its session. */
  findRefreshToken(id: string): Promise<RefreshTokenEntity | null> {
    return this.dataSource.getRepository(RefreshTokenEntity).findOne({ where: { id }, relations: { session: true } });
  }

  /** Marks a refresh token used; false when another request used it first (the loser holds a retired copy). */
  async claimRefreshToken(id: string, manager: EntityManager): Promise<boolean> {
    const claimed = await manager
      .createQueryBuilder()
      .update(RefreshTokenEntity)
      .set({ usedAt: () => 'now()' })
      .where('id = :id AND used_at IS NULL', { id })
      .returning(['id'])
      .execute();
    return (claimed.raw as unknown[]).length > 0;
  }

  /**
   * Extends a live session of an active user and records where it was last seen (a request without a
   * user agent keeps the known one); false when it was revoked meanwhile or the account was disabled.
   */
  async renew(
    sessionId: string,
    userId: string,
    expiresAt: Date,
    client: ClientContext,
    manager: EntityManager,
  ): Promise<boolean> {
    const touched = await manager
      .createQueryBuilder()
      .update(AuthSessionEntity)
      .set({
        lastUsedAt: () => 'now()',
        expiresAt,
        ipAddress: () => 'COALESCE(:ip, ip_address)',
        userAgent: () => 'COALESCE(:ua, user_agent)',
      })
      .setParameters({ ip: client.ipAddress, ua: client.userAgent })
      .where(
        `id = :id AND revoked_at IS NULL AND EXISTS (
           SELECT 1 FROM users u WHERE u.id = :userId AND u.is_active AND u.deleted_at IS NULL)`,
        { id: sessionId, userId },
      )
      .returning(['id'])
      .execute();
    return (touched.raw as unknown[]).length > 0;
  }

  /** The user's live sessions, most recently used first. */
  listLive(userId: string): Promise<AuthSessionEntity[]> {
    return this.dataSource.getRepository(AuthSessionEntity).find({
      where: { userId, revokedAt: IsNull(), expiresAt: MoreThan(new Date()) },
      order: { lastUsedAt: 'DESC', createdAt: 'DESC' },
    });
  }

  /** Revokes one live session (only the owner's, when `ownerId` is given); false when there was none. */
  async revokeOne(sessionId: string, reason: SessionRevokeReason, ownerId?: string): Promise<boolean> {
    const query = this.dataSource
      .createQueryBuilder()
      .update(AuthSessionEntity)
      .set({ revokedAt: () => 'now()', revokedReason: reason })
      .where('id = :sessionId AND revoked_at IS NULL AND expires_at > now()', { sessionId });
    if (ownerId) query.andWhere('user_id = :ownerId', { ownerId });
    const result = await query.returning(['id']).execute();
    return (result.raw as unknown[]).length > 0;
  }

  /** Revokes every live session of a user but `except`; the revoked ids. */
  async revokeAllOf(
    userId: string,
    reason: SessionRevokeReason,
    manager: EntityManager,
    except?: string,
  ): Promise<string[]> {
    const query = manager
      .createQueryBuilder()
      .update(AuthSessionEntity)
      .set({ revokedAt: () => 'now()', revokedReason: reason })
      .where('user_id = :userId AND revoked_at IS NULL', { userId });
    if (except) query.andWhere('id <> :except', { except });
    const result = await query.returning(['id']).execute();
    return (result.raw as Array<{ id: string }>).map((r) => r.id);
  }

  /**
   * The owner of a live session (not revoked, not expired, user active) and whether its last_used_at
   * is older than `staleAfterSeconds`; null when the session is not live.
   */
  async liveOwner(sessionId: string, staleAfterSeconds: number): Promise<{ userId: string; stale: boolean } | null> {
    const rows = (await this.dataSource.query(
      `SELECT s.user_id, s.last_used_at < now() - make_interval(secs => $2) AS stale
         FROM auth_sessions s JOIN users u ON u.id = s.user_id
        WHERE s.id = $1 AND s.revoked_at IS NULL AND s.expires_at > now()
          AND u.is_active AND u.deleted_at IS NULL`,
      [sessionId, staleAfterSeconds],
    )) as Array<{ user_id: string; stale: boolean }>;
    return rows[0] ? { userId: rows[0].user_id, stale: rows[0].stale } : null;
  }

  async touch(sessionId: string): Promise<void> {
    await this.dataSource.query('UPDATE auth_sessions SET last_used_at = now() WHERE id = $1', [sessionId]);
  }
}
