import { Check, Column, DeleteDateColumn, Entity, Index } from 'typeorm';

import { BaseEntity } from './base.entity';

@Entity({ name: 'users' })
// Emails are stored lower-cased, so a plain unique index is the case-insensitive one.
@Check('ck_users_email_lowercase', `"email" = lower("email")`)
@Index('uq_users_email', ['email'], { unique: true })
export class UserEntity extends BaseEntity {
  @Column({ type: 'varchar', length: 320 })
  email: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ name: 'password_hash', type: 'varchar', length: 255 })
  passwordHash: string;

  @Column({ name: 'email_verified_at', type: 'timestamptz', nullable: true })
  emailVerifiedAt: Date | null;

  @Column({ name: 'last_login_at', type: 'timestamptz', nullable: true })
  lastLoginAt: Date | null;

  @Column({ name: 'failed_login_count', type: 'integer', default: 0 })
  failedLoginCount: number;

  /** Start of the window `failed_login_count` counts in; older failures no longer lead to a lockout. */
  @Column({ name: 'failed_logins_since', type: 'timestamptz', nullable: true })
  failedLoginsSince: Date | null;

  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil: Date | null;

  @Column({ name: 'is_active', type: 'boolean', default: true })
  isActive: boolean;

  @DeleteDateColumn({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt: Date | null;
}
