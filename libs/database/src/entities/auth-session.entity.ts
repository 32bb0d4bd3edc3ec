import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';

import { BaseEntity } from './base.entity';
import { UserEntity } from './user.entity';

export const SESSION_REVOKE_REASONS = [
  'logout',
  'revoked',
  'password_changed',
  'password_reset',
  'refresh_reuse',
  'account_disabled',
] as const;
export type SessionRevokeReason = (typeof SESSION_REVOKE_REASONS)[number];

/**
 * One signed-in device. Access tokens carry its id (`sid`), so revoking the row ends them too;
 * refresh tokens rotate underneath it (refresh_tokens).
 */
@Entity({ name: 'auth_sessions' })
// Listing and mass revocation only ever look at a user's live sessions.
@Index('ix_auth_sessions_user_live', ['userId', 'lastUsedAt'], { where: '"revoked_at" IS NULL' })
export class AuthSessionEntity extends BaseEntity {
  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_auth_sessions_user' })
  user?: UserEntity;

  @Column({ name: 'last_used_at', type: 'timestamptz' })
  lastUsedAt: Date;

  /** Slides forward with every refresh; a session nobody refreshes dies with its last refresh token. */
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @Column({ name: 'revoked_reason', type: 'varchar', length: 32, nullable: true })
  revokedReason: SessionRevokeReason | null;

  @Column({ name: 'user_agent', type: 'varchar', length: 512, nullable: true })
  userAgent: string | null;

  @Column({ name: 'ip_address', type: 'varchar', length: 45, nullable: true })
  ipAddress: string | null;
}
