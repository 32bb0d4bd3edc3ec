import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';

import { BaseEntity } from './base.entity';
import { checkIn } from './columns';
import { UserEntity } from './user.entity';

export const IMPORT_FORMATS = ['ofx', 'qfx', 'csv'] as const;
export const IMPORT_STATUSES = ['completed', 'completed_with_errors'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

/**
 * One file a user imported: what it was, where it went and what it changed. Only imports that were
 * written are recorded — a malformed file writes nothing, not even this row. `institution_key` is how
 * the next file from the same institution finds its provider (the alias may be renamed).
 */
@Entity({ name: 'imports' })
@Index('ix_imports_user_created', ['userId', 'createdAt'])
@Index('ix_imports_user_institution', ['userId', 'institutionKey'])
@Check('ck_imports_format', checkIn('format', IMPORT_FORMATS))
@Check('ck_imports_status', checkIn('status', IMPORT_STATUSES))
export class ImportEntity extends BaseEntity {
  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_imports_user' })
  user?: UserEntity;

  @Column({ name: 'provider_id', type: 'uuid' })
  providerId: string;

  /** The account of the file's first statement. */
  @Column({ name: 'account_id', type: 'uuid', nullable: true })
  accountId: string | null;

  @Column({ name: 'institution_key', type: 'varchar', length: 200 })
  institutionKey: string;

  @Column({ type: 'varchar', length: 8 })
  format: string;

  @Column({ type: 'varchar', length: 32 })
  status: ImportStatus;

  @Column({ name: 'file_name', type: 'varchar', length: 255, nullable: true })
  fileName: string | null;

  @Column({ name: 'file_size', type: 'integer' })
  fileSize: number;

  @Column({ name: 'file_sha256', type: 'char', length: 64 })
  fileSha256: string;

  @Column({ name: 'transactions_created', type: 'integer', default: 0 })
  transactionsCreated: number;

  @Column({ name: 'transactions_updated', type: 'integer', default: 0 })
  transactionsUpdated: number;

  @Column({ name: 'transactions_unchanged', type: 'integer', default: 0 })
  transactionsUnchanged: number;

  /** The lines that were skipped, `[{line, message}]` (the first 100). */
  @Column({ type: 'jsonb', default: [] })
  errors: Array<{ line: number; message: string }>;
}
