import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';

import { BaseEntity } from './base.entity';
import { checkIn } from './columns';
import { ProviderConnectionEntity } from './provider-connection.entity';

export const SYNC_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
export type SyncStatus = (typeof SYNC_STATUSES)[number];

export const SYNC_TRIGGERS = ['manual', 'scheduled', 'linked'] as const;
export type SyncTrigger = (typeof SYNC_TRIGGERS)[number];

/**
 * One sync of a connection. The partial unique index is what makes "at most one queued or running
 * sync per connection" hold across every api process; the idempotency key is scoped to the user
 * who sent it (IETF idempotency-key-header draft).
 */
@Entity({ name: 'syncs' })
@Index('uq_syncs_connection_in_flight', ['connectionId'], {
  unique: true,
  where: `"status" IN ('queued', 'running')`,
})
@Index('uq_syncs_user_idempotency_key', ['userId', 'idempotencyKey'], {
  unique: true,
  where: '"idempotency_key" IS NOT NULL',
})
@Index('ix_syncs_connection_created', ['connectionId', 'createdAt'])
@Check('ck_syncs_status', checkIn('status', SYNC_STATUSES))
@Check('ck_syncs_trigger', checkIn('trigger', SYNC_TRIGGERS))
export class SyncEntity extends BaseEntity {
  @Column({ name: 'connection_id', type: 'uuid' })
  connectionId: string;

  @ManyToOne(() => ProviderConnectionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'connection_id', foreignKeyConstraintName: 'fk_syncs_connection' })
  connection?: ProviderConnectionEntity;

  /** Who asked for it; null for scheduled syncs. */
  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId: string | null;

  @Column({ type: 'varchar', length: 16, default: 'queued' })
  status: SyncStatus;

  @Column({ type: 'varchar', length: 16 })
  trigger: SyncTrigger;

  @Column({ name: 'idempotency_key', type: 'varchar', length: 255, nullable: true })
  idempotencyKey: string | null;

  /** SHA-256 of method, path and body; the same key with another hash is a 422. */
  @Column({ name: 'request_hash', type: 'char', length: 64, nullable: true })
  requestHash: string | null;

  @Column({ name: 'idempotency_expires_at', type: 'timestamptz', nullable: true })
  idempotencyExpiresAt: Date | null;

  @Column({ name: 'accounts_created', type: 'integer', default: 0 })
  accountsCreated: number;

  @Column({ name: 'accounts_updated', type: 'integer', default: 0 })
  accountsUpdated: number;

  @Column({ name: 'accounts_unchanged', type: 'integer', default: 0 })
  accountsUnchanged: number;

  @Column({ name: 'positions_created', type: 'integer', default: 0 })
  positionsCreated: number;

  @Column({ name: 'positions_updated', type: 'integer', default: 0 })
  positionsUpdated: number;

  @Column({ name: 'positions_unchanged', type: 'integer', default: 0 })
  positionsUnchanged: number;

  @Column({ name: 'transactions_created', type: 'integer', default: 0 })
  transactionsCreated: number;

  @Column({ name: 'transactions_updated', type: 'integer', default: 0 })
  transactionsUpdated: number;

  @Column({ name: 'transactions_unchanged', type: 'integer', default: 0 })
  transactionsUnchanged: number;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt: Date | null;

  /** Readable, never upstream text. */
  @Column({ type: 'text', nullable: true })
  error: string | null;

  /** Readable non-fatal notes (an institution's partial errors). */
  @Column({ type: 'jsonb', default: [] })
  warnings: string[];
}
