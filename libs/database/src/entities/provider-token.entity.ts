import { Column, Entity, Index, JoinColumn, OneToOne } from 'typeorm';

import { BaseEntity } from './base.entity';
import { ProviderConnectionEntity } from './provider-connection.entity';

/** One per connection. Every *_encrypted column holds a token-cipher envelope, never plaintext. */
@Entity({ name: 'provider_tokens' })
// The proactive refresh job looks up tokens by expiry.
@Index('ix_provider_tokens_expires_at', ['expiresAt'])
export class ProviderTokenEntity extends BaseEntity {
  @Column({ name: 'connection_id', type: 'uuid' })
  connectionId: string;

  @OneToOne(() => ProviderConnectionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'connection_id', foreignKeyConstraintName: 'fk_provider_tokens_connection' })
  connection?: ProviderConnectionEntity;

  @Column({ name: 'access_token_encrypted', type: 'text' })
  accessTokenEncrypted: string;

  @Column({ name: 'refresh_token_encrypted', type: 'text', nullable: true })
  refreshTokenEncrypted: string | null;

  @Column({ name: 'id_token_encrypted', type: 'text', nullable: true })
  idTokenEncrypted: string | null;

  @Column({ name: 'token_type', type: 'varchar', length: 32, default: 'Bearer' })
  tokenType: string;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  // Schwab's refresh tokens die 7 days after the consent, however often they are used.
  @Column({ name: 'refresh_token_expires_at', type: 'timestamptz', nullable: true })
  refreshTokenExpiresAt: Date | null;

  @Column({ type: 'text', nullable: true })
  scope: string | null;

  @Column({ name: 'last_refreshed_at', type: 'timestamptz', nullable: true })
  lastRefreshedAt: Date | null;

  @Column({ name: 'refresh_count', type: 'integer', default: 0 })
  refreshCount: number;

  @Column({ name: 'key_id', type: 'varchar', length: 32 })
  keyId: string;

  // Bumped on every write; refreshes compare-and-set on it so a stale refresh token is never stored.
  @Column({ type: 'integer', default: 1 })
  version: number;
}
