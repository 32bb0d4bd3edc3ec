import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager, EntityTarget } from 'typeorm';

import type { EmailVerificationTokenEntity, PasswordResetTokenEntity } from '@dashtam/database';

import { generateSecret, hashSecret, isWellFormedSecret } from './opaque-token';

type OneTimeToken = EmailVerificationTokenEntity | PasswordResetTokenEntity;
export type OneTimeTokenKind = EntityTarget<OneTimeToken>;

/**
 * Emailed single-use tokens (verification, password reset). Only SHA-256 hashes are stored and
 * looked up through a unique index; consuming is one conditional UPDATE, so a token works once even
 * when two requests race.
 */
@Injectable()
export class OneTimeTokensService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Invalidates the user's outstanding tokens of this kind and issues a new one; returns the secret. */
  async reissue(kind: OneTimeTokenKind, userId: string, ttlSeconds: number, manager: EntityManager): Promise<string> {
    await this.invalidateOutstanding(kind, userId, manager);
    const secret = generateSecret();
    await manager
      .createQueryBuilder()
      .insert()
      .into(kind)
      .values({
        userId,
        tokenHash: hashSecret(secret),
        expiresAt: () => `now() + make_interval(secs => ${ttlSeconds})`,
      })
      .execute();
    return secret;
  }

  /** The expiry of a token that could still be used, else null. Does not consume it. */
  async usableUntil(kind: OneTimeTokenKind, token: string): Promise<{ userId: string; expiresAt: Date } | null> {
    if (!isWellFormedSecret(token)) return null;
    const row = await this.dataSource
      .getRepository(kind)
      .createQueryBuilder('t')
      .select(['t.userId', 't.expiresAt'])
      .where('t.tokenHash = :hash AND t.usedAt IS NULL AND t.invalidatedAt IS NULL AND t.expiresAt > now()', {
        hash: hashSecret(token),
      })
      .getOne();
    return row ? { userId: row.userId, expiresAt: row.expiresAt } : null;
  }

  /** Uses the token up; returns its user, or null when it is unknown, used, replaced or expired. */
  async consume(kind: OneTimeTokenKind, token: string, manager: EntityManager): Promise<string | null> {
    if (!isWellFormedSecret(token)) return null;
    const result = await manager
      .createQueryBuilder()
      .update(kind)
      .set({ usedAt: () => 'now()' })
      .where('token_hash = :hash AND used_at IS NULL AND invalidated_at IS NULL AND expires_at > now()', {
        hash: hashSecret(token),
      })
      .returning('user_id')
      .execute();
    const rows = result.raw as Array<{ user_id: string }>;
    return rows[0]?.user_id ?? null;
  }

  private async invalidateOutstanding(kind: OneTimeTokenKind, userId: string, manager: EntityManager): Promise<void> {
    await manager
      .createQueryBuilder()
      .update(kind)
      .set({ invalidatedAt: () => 'now()' })
      .where('user_id = :userId AND used_at IS NULL AND invalidated_at IS NULL', { userId })
      .execute();
  }
}
