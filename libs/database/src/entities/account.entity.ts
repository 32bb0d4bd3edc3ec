import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';

import { BaseEntity } from './base.entity';
import { checkIn, MONEY } from './columns';
import { ACCOUNT_TYPES, type AccountType } from './financial-vocabulary';
import { ProviderConnectionEntity } from './provider-connection.entity';

/**
 * An account at an institution, as the last sync saw it. Keyed by the institution's own opaque id
 * (never the account number: only its last four digits are kept). `user_id` and `provider_id` repeat
 * what the connection says so the caller-scoped reads need no joins; the sync writes all three.
 */
@Entity({ name: 'accounts' })
@Index('uq_accounts_connection_provider_account', ['connectionId', 'providerAccountId'], { unique: true })
@Index('ix_accounts_user', ['userId', 'providerId'])
@Check('ck_accounts_account_type', checkIn('account_type', ACCOUNT_TYPES))
@Check('ck_accounts_mask', `"mask" ~ '^[0-9]{1,4}$'`)
export class AccountEntity extends BaseEntity {
  @Column({ name: 'connection_id', type: 'uuid' })
  connectionId: string;

  @ManyToOne(() => ProviderConnectionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'connection_id', foreignKeyConstraintName: 'fk_accounts_connection' })
  connection?: ProviderConnectionEntity;

  @Column({ name: 'provider_id', type: 'uuid' })
  providerId: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ name: 'provider_account_id', type: 'varchar', length: 128 })
  providerAccountId: string;

  @Column({ type: 'varchar', length: 4, nullable: true })
  mask: string | null;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ name: 'account_type', type: 'varchar', length: 32 })
  accountType: AccountType;

  @Column({ type: 'varchar', length: 3, default: 'USD' })
  currency: string;

  @Column({ name: 'current_balance', ...MONEY, nullable: true })
  currentBalance: string | null;

  @Column({ name: 'available_balance', ...MONEY, nullable: true })
  availableBalance: string | null;

  @Column({ name: 'balance_as_of', type: 'timestamptz', nullable: true })
  balanceAsOf: Date | null;

  @Column({ name: 'is_active', type: 'boolean', default: true })
  isActive: boolean;

  @Column({ name: 'last_synced_at', type: 'timestamptz', nullable: true })
  lastSyncedAt: Date | null;

  @Column({ name: 'provider_metadata', type: 'jsonb', default: {} })
  providerMetadata: Record<string, unknown>;
}
