import { Column, DeleteDateColumn, Entity, Index, JoinColumn, ManyToOne, OneToOne } from 'typeorm';

import { BaseEntity } from './base.entity';
import type { ProviderConnectionEntity } from './provider-connection.entity';
import { UserEntity } from './user.entity';

/** A user's linked institution instance (provider_key names the catalog entry). */
@Entity({ name: 'providers' })
// Alias unique per user among live providers; a deleted provider frees its alias.
@Index('uq_providers_user_alias', ['userId', 'alias'], { unique: true, where: '"deleted_at" IS NULL' })
@Index('ix_providers_user_created', ['userId', 'createdAt'])
export class ProviderEntity extends BaseEntity {
  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_providers_user' })
  user?: UserEntity;

  @Column({ name: 'provider_key', type: 'varchar', length: 64 })
  providerKey: string;

  @Column({ type: 'varchar', length: 100 })
  alias: string;

  @OneToOne('ProviderConnectionEntity', (connection: ProviderConnectionEntity) => connection.provider)
  connection?: ProviderConnectionEntity;

  @DeleteDateColumn({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt: Date | null;
}
