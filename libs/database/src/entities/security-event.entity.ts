import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';

import { BaseEntity } from './base.entity';
import { UserEntity } from './user.entity';

export const SECURITY_EVENT_TYPES = [
  'user_registered',
  'email_verified',
  'login_succeeded',
  'login_failed',
  'account_locked',
  'refresh_token_reused',
  'logout',
  'session_revoked',
  'password_changed',
  'password_reset_requested',
  'password_reset_completed',
] as const;
export type SecurityEventType = (typeof SECURITY_EVENT_TYPES)[number];

/**
 * Append-only trail of security-relevant events (the application only ever inserts). `user_id` is
 * SET NULL and `session_id` carries no foreign key, so the trail outlives what it describes.
 * `details` holds reasons and counters, never a password, token or link.
 */
@Entity({ name: 'security_events' })
@Index('ix_security_events_user_created', ['userId', 'createdAt'])
export class SecurityEventEntity extends BaseEntity {
  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_security_events_user' })
  user?: UserEntity;

  @Column({ name: 'session_id', type: 'uuid', nullable: true })
  sessionId: string | null;

  @Column({ type: 'varchar', length: 64 })
  event: SecurityEventType;

  @Column({ type: 'jsonb', default: {} })
  details: Record<string, unknown>;

  @Column({ name: 'ip_address', type: 'varchar', length: 45, nullable: true })
  ipAddress: string | null;

  @Column({ name: 'user_agent', type: 'varchar', length: 512, nullable: true })
  userAgent: string | null;

  @Column({ name: 'request_id', type: 'varchar', length: 64, nullable: true })
  requestId: string | null;
}
