import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import type { ImportStatus } from '@dashtam/database';

import type { LineError } from './parsers/import-file';

/** An import as the API shows it. */
export interface ImportView {
  id: string;
  providerId: string;
  accountId: string | null;
  format: string;
  status: ImportStatus;
  fileName: string | null;
  fileSize: number;
  transactionsCreated: number;
  transactionsUpdated: number;
  transactionsUnchanged: number;
  errors: LineError[];
  createdAt: Date;
}

export type ImportWrite = Omit<ImportView, 'id' | 'createdAt'> & {
  userId: string;
  institutionKey: string;
  fileSha256: string;
};

const VIEW_COLUMNS = `
  i.id, i.provider_id AS "providerId", i.account_id AS "accountId", i.format, i.status, i.file_name AS "fileName",
  i.file_size AS "fileSize", i.transactions_created AS "transactionsCreated",
  i.transactions_updated AS "transactionsUpdated", i.transactions_unchanged AS "transactionsUnchanged",
  i.errors, i.created_at AS "createdAt"`;

/** The one owner of `imports` statements, and of finding which provider an institution's files go to. */
@Injectable()
export class ImportsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(manager: EntityManager, row: ImportWrite): Promise<string> {
    const [inserted] = (await manager.query(
      `INSERT INTO imports (user_id, provider_id, account_id, institution_key, format, status, file_name, file_size,
                            file_sha256, transactions_created, transactions_updated, transactions_unchanged, errors)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::jsonb) RETURNING id`,
      [
        row.userId,
        row.providerId,
        row.accountId,
        row.institutionKey,
        row.format,
        row.status,
        row.fileName,
        row.fileSize,
        row.fileSha256,
        row.transactionsCreated,
        row.transactionsUpdated,
        row.transactionsUnchanged,
        JSON.stringify(row.errors),
      ],
    )) as Array<{ id: string }>;
    return inserted.id;
  }

  async findOwned(userId: string, id: string): Promise<ImportView | null> {
    const rows = (await this.dataSource.query(
      `SELECT ${VIEW_COLUMNS} FROM imports i WHERE i.id = $1 AND i.user_id = $2`,
      [id, userId],
    )) as ImportView[];
    return rows[0] ?? null;
  }

  /** The caller's imports, newest first (index ix_imports_user_created). */
  async list(userId: string, offset: number, limit: number): Promise<{ items: ImportView[]; total: number }> {
    const [items, [{ total }]] = (await Promise.all([
      this.dataSource.query(
        `SELECT ${VIEW_COLUMNS} FROM imports i WHERE i.user_id = $1 ORDER BY i.created_at DESC, i.id DESC OFFSET $2 LIMIT $3`,
        [userId, offset, limit],
      ),
      this.dataSource.query('SELECT count(*)::int AS total FROM imports WHERE user_id = $1', [userId]),
    ])) as [ImportView[], Array<{ total: number }>];
    return { items, total };
  }

  /**
   * Serialises imports of one user's institution (two concurrent first imports would otherwise each
   * create a provider). Held until the transaction ends.
   */
  async lockInstitution(manager: EntityManager, userId: string, institutionKey: string): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
      `import:${userId}:${institutionKey}`,
    ]);
  }

  /** The live provider an earlier import of this institution created, with its connection. */
  async findProviderOfInstitution(
    manager: EntityManager,
    userId: string,
    institutionKey: string,
  ): Promise<{ providerId: string; connectionId: string } | null> {
    const rows = (await manager.query(
      `SELECT p.id AS "providerId", c.id AS "connectionId"
         FROM imports i
         JOIN providers p ON p.id = i.provider_id AND p.deleted_at IS NULL
         JOIN provider_connections c ON c.provider_id = p.id
        WHERE i.user_id = $1 AND i.institution_key = $2
        ORDER BY i.created_at DESC
        LIMIT 1`,
      [userId, institutionKey],
    )) as Array<{ providerId: string; connectionId: string }>;
    return rows[0] ?? null;
  }
}
