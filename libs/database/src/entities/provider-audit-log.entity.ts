import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';

import { BaseEntity } from './base.entity';
import { ProviderConnectionEntity } from './provider-connection.entity';
import { UserEntity } from './user.entity';

/**
 * Append-only trail of a connection's state changes. `provider_id` is kept without a foreign key
 * and the other references are SET NULL, so the trail outlives the provider it describes.
 */
@Entity({ name: 'provider_audit_logs' })
@Index('ix_provider_audit_logs_provider_created', ['providerId', 'createdAt'])
@Index('ix_provider_audit_logs_connection_created', ['connectionId', 'createdAt'])
export class ProviderAuditLogEntity extends BaseEntity {
  @Column({ name: 'provider_id', type: 'uuid', nullable: true })
  providerId: string | null;

  @Column({ name: 'connection_id', type: 'uuid', nullable: true })
  connectionId: string | null;

  @ManyToOne(() => ProviderConnectionEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'connection_id', foreignKeyConstraintName: 'fk_provider_audit_logs_connection' })
  connection?: ProviderConnectionEntity;

  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  @Index('ix_provider_audit_logs_user')
  userId: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_provider_audit_logs_user' })
  user?: UserEntity;

  @Column({ type: 'varchar', length: 64 })
  action: string;

  @Column({ type: 'jsonb', default: {} })
  details: Record<string, unknown>;

  @Column({ name: 'ip_address', type: 'varchar', length: 45, nullable: true })
  ipAddress: string | null;

  @Column({ name: 'user_agent', type: 'text', nullable: true })
  userAgent: string | null;

  @Column({ name: 'request_id', type: 'varchar', length: 64, nullable: true })
  requestId: string | null;
}
