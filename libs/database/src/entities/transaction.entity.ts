import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';

import { AccountEntity } from './account.entity';
import { BaseEntity } from './base.entity';
import { checkIn, MONEY, QUANTITY } from './columns';
import {
  TRANSACTION_STATUSES,
  TRANSACTION_TYPES,
  type TransactionStatus,
  type TransactionType,
} from './financial-vocabulary';

/**
 * One transaction, upserted by the institution's id. `user_id` repeats the account's owner so the
 * caller's transaction list is one index range (user, date desc, id desc) — the keyset order.
 */
@Entity({ name: 'transactions' })
@Index('uq_transactions_account_provider_transaction', ['accountId', 'providerTransactionId'], { unique: true })
@Index('ix_transactions_user_date_id', ['userId', 'date', 'id'])
@Index('ix_transactions_account_date_id', ['accountId', 'date', 'id'])
@Check('ck_transactions_type', checkIn('type', TRANSACTION_TYPES))
@Check('ck_transactions_status', checkIn('status', TRANSACTION_STATUSES))
export class TransactionEntity extends BaseEntity {
  @Column({ name: 'account_id', type: 'uuid' })
  accountId: string;

  @ManyToOne(() => AccountEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'account_id', foreignKeyConstraintName: 'fk_transactions_account' })
  account?: AccountEntity;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ name: 'provider_transaction_id', type: 'varchar', length: 128 })
  providerTransactionId: string;

  /** A calendar date (`YYYY-MM-DD`), read back as a string. */
  @Column({ type: 'date' })
  date: string;

  @Column({ name: 'settlement_date', type: 'date', nullable: true })
  settlementDate: string | null;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'varchar', length: 32 })
  type: TransactionType;

  @Column({ name: 'raw_type', type: 'varchar', length: 64 })
  rawType: string;

  @Column({ type: 'varchar', length: 16 })
  status: TransactionStatus;

  @Column({ ...MONEY })
  amount: string;

  @Column({ type: 'varchar', length: 3, default: 'USD' })
  currency: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  symbol: string | null;

  @Column({ ...QUANTITY, nullable: true })
  quantity: string | null;

  @Column({ ...QUANTITY, nullable: true })
  price: string | null;

  @Column({ ...MONEY, default: 0 })
  fees: string;

  /** Non-secret detail as the institution sent it (Schwab: transfer items, fee breakdown). */
  @Column({ type: 'jsonb', default: {} })
  details: Record<string, unknown>;
}
