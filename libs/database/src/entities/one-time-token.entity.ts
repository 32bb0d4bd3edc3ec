import { Column } from 'typeorm';

import { BaseEntity } from './base.entity';

/**
 * Columns of a single-use emailed token. Only the SHA-256 of the token is stored (unique-indexed by
 * each table); `used_at` marks its one use, `invalidated_at` a newer token that replaced it.
 */
export abstract class OneTimeTokenEntity extends BaseEntity {
  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ name: 'token_hash', type: 'char', length: 64 })
  tokenHash: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt: Date | null;

  @Column({ name: 'invalidated_at', type: 'timestamptz', nullable: true })
  invalidatedAt: Date | null;
}
