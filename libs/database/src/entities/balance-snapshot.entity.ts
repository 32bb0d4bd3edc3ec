import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';

import { AccountEntity } from './account.entity';
import { BaseEntity } from './base.entity';
import { MONEY } from './columns';

/** An account's balances at one sync; append-only, one per active account per sync. */
@Entity({ name: 'balance_snapshots' })
@Index('ix_balance_snapshots_account_captured', ['accountId', 'capturedAt'])
export class BalanceSnapshotEntity extends BaseEntity {
  @Column({ name: 'account_id', type: 'uuid' })
  accountId: string;

  @ManyToOne(() => AccountEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'account_id', foreignKeyConstraintName: 'fk_balance_snapshots_account' })
  account?: AccountEntity;

  @Column({ ...MONEY, nullable: true })
  balance: string | null;

  @Column({ name: 'available_balance', ...MONEY, nullable: true })
  availableBalance: string | null;

  @Column({ name: 'holdings_value', ...MONEY, nullable: true })
  holdingsValue: string | null;

  @Column({ name: 'cash_value', ...MONEY, nullable: true })
  cashValue: string | null;

  @Column({ name: 'captured_at', type: 'timestamptz' })
  capturedAt: Date;
}
