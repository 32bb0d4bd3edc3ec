import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';

import { AccountEntity } from './account.entity';
import { BaseEntity } from './base.entity';
import { checkIn, MONEY, QUANTITY } from './columns';
import { ASSET_TYPES, type AssetType } from './financial-vocabulary';

/** A holding; a position the institution no longer reports is kept inactive, never deleted. */
@Entity({ name: 'positions' })
@Index('uq_positions_account_provider_position', ['accountId', 'providerPositionId'], { unique: true })
@Check('ck_positions_asset_type', checkIn('asset_type', ASSET_TYPES))
export class PositionEntity extends BaseEntity {
  @Column({ name: 'account_id', type: 'uuid' })
  accountId: string;

  @ManyToOne(() => AccountEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'account_id', foreignKeyConstraintName: 'fk_positions_account' })
  account?: AccountEntity;

  @Column({ name: 'provider_position_id', type: 'varchar', length: 160 })
  providerPositionId: string;

  @Column({ type: 'varchar', length: 64 })
  symbol: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ name: 'asset_type', type: 'varchar', length: 32 })
  assetType: AssetType;

  @Column({ name: 'raw_asset_type', type: 'varchar', length: 64 })
  rawAssetType: string;

  @Column({ ...QUANTITY })
  quantity: string;

  @Column({ name: 'average_price', ...QUANTITY, nullable: true })
  averagePrice: string | null;

  @Column({ name: 'market_value', ...MONEY, nullable: true })
  marketValue: string | null;

  @Column({ name: 'cost_basis', ...MONEY, nullable: true })
  costBasis: string | null;

  @Column({ name: 'as_of', type: 'timestamptz' })
  asOf: Date;

  @Column({ name: 'is_active', type: 'boolean', default: true })
  isActive: boolean;
}
