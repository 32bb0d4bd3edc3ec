import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';

import { AuthSessionEntity } from './auth-session.entity';
import { BaseEntity } from './base.entity';

/**
 * A refresh token is `<id>.<secret>`: found by primary key, then the SHA-256 of the secret is
 * compared in constant time. A row with `used_at` set has been rotated; presenting it again is reuse.
 */
@Entity({ name: 'refresh_tokens' })
@Index('ix_refresh_tokens_session', ['sessionId'])
export class RefreshTokenEntity extends BaseEntity {
  @Column({ name: 'session_id', type: 'uuid' })
  sessionId: string;

  @ManyToOne(() => AuthSessionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'session_id', foreignKeyConstraintName: 'fk_refresh_tokens_session' })
  session?: AuthSessionEntity;

  @Column({ name: 'token_hash', type: 'char', length: 64 })
  tokenHash: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt: Date | null;
}
