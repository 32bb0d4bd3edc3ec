import { Check, Column, Entity, Index, JoinColumn, OneToOne } from 'typeorm';

import { BaseEntity } from './base.entity';
import { ProviderEntity } from './provider.entity';

export const CONNECTION_STATUSES = ['pending', 'active', 'error', 'requires_reauth', 'disconnected'] as const;
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];

@Entity({ name: 'provider_connections' })
@Check('ck_provider_connections_status', `"status" IN (${CONNECTION_STATUSES.map((s) => `'${s}'`).join(', ')})`)
@Check(
  'ck_provider_connections_counters',
  `"error_count" >= 0 AND "accounts_count" >= 0 AND "sync_frequency_minutes" > 0`,
)
// The sync scheduler scans due connections by status and time.
@Index('ix_provider_connections_due', ['status', 'nextSyncAt'])
export class ProviderConnectionEntity extends BaseEntity {
  @Column({ name: 'provider_id', type: 'uuid' })
  providerId: string;

  @OneToOne(() => ProviderEntity, (provider) => provider.connection, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'provider_id', foreignKeyConstraintName: 'fk_provider_connections_provider' })
  provider?: ProviderEntity;

  @Column({ type: 'varchar', length: 32, default: 'pending' })
  status: ConnectionStatus;

  @Column({ name: 'connected_at', type: 'timestamptz', nullable: true })
  connectedAt: Date | null;

  @Column({ name: 'last_sync_at', type: 'timestamptz', nullable: true })
  lastSyncAt: Date | null;

  @Column({ name: 'next_sync_at', type: 'timestamptz', nullable: true })
  nextSyncAt: Date | null;

  @Column({ name: 'sync_frequency_minutes', type: 'integer', default: 60 })
  syncFrequencyMinutes: number;

  @Column({ name: 'error_count', type: 'integer', default: 0 })
  errorCount: number;

  @Column({ name: 'error_message', type: 'text', nullable: true })
  errorMessage: string | null;

  @Column({ name: 'accounts_count', type: 'integer', default: 0 })
  accountsCount: number;
}
