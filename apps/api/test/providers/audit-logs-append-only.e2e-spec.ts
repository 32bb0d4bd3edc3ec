import { randomUUID } from 'node:crypto';

import { DataSource } from 'typeorm';

import { getConfig } from '@dashtam/config';
import { buildDataSourceOptions, createScratchDatabase, dropDatabase } from '@dashtam/database';
import { ProviderConnectionsRepository, type ProviderAuditAction, writeProviderAudit } from '@dashtam/providers';

const MIGRATION = 'ProviderAuditLogsAppendOnly1796549834561';

interface AuditRow {
  id: string;
  action: string;
  provider_id: string | null;
  connection_id: string | null;
  user_id: string | null;
  details: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
}

/**
 * The test database is built from entities, which cannot carry triggers; this suite applies the
 * committed migrations to a scratch database to check what production gets. The trail must outlive
 * its subjects (SPEC §4, §8: deleting a provider keeps it), so the foreign keys' SET NULL still runs.
 */
describe('provider_audit_logs is append-only in a migrated database', () => {
  const config = getConfig().database;
  const adminUrl = config.adminUrl!;
  const scratch = `dashtam_test_audit_append_only_${process.pid}`;
  let db: DataSource;
  let connections: ProviderConnectionsRepository;

  beforeAll(async () => {
    const url = await createScratchDatabase(adminUrl, scratch);
    db = await new DataSource(buildDataSourceOptions(config, { url, poolMax: 2 })).initialize();
    await db.runMigrations({ transaction: 'each' });
    connections = new ProviderConnectionsRepository(db);
  });
  afterAll(async () => {
    await db?.destroy();
    await dropDatabase(adminUrl, scratch);
  });

  /** A user, a provider and its connection, written the way the api writes them. */
  const createLinkedProvider = async () => {
    const [user] = (await db.query(
      `INSERT INTO users (email, name, password_hash) VALUES ($1, 'x', 'h') RETURNING id`,
      [`audit-${randomUUID()}@example.test`],
    )) as Array<{ id: string }>;
    return db.transaction(async (manager) => {
      const [provider] = (await manager.query(
        `INSERT INTO providers (user_id, provider_key, alias) VALUES ($1, 'sandbox', 'Audit') RETURNING id`,
        [user.id],
      )) as Array<{ id: string }>;
      const connectionId = await connections.createPending(manager, provider.id);
      return { userId: user.id, providerId: provider.id, connectionId };
    });
  };

  const audit = async (
    subject: { userId: string; providerId: string; connectionId: string },
    action: ProviderAuditAction,
  ): Promise<AuditRow> => {
    await writeProviderAudit(db.manager, {
      action,
      providerId: subject.providerId,
      connectionId: subject.connectionId,
      userId: subject.userId,
      details: { step: action },
    });
    const rows = await auditRowsOf(subject.providerId);
    return rows[rows.length - 1];
  };

  const auditRowsOf = async (providerId: string): Promise<AuditRow[]> =>
    (await db.query('SELECT * FROM provider_audit_logs WHERE provider_id = $1 ORDER BY created_at, id', [
      providerId,
    ])) as AuditRow[];

  it('refuses UPDATE and DELETE of an audit row, and keeps it as it was', async () => {
    const row = await audit(await createLinkedProvider(), 'provider_created');

    await expect(
      db.query(`UPDATE provider_audit_logs SET action = 'provider_deleted' WHERE id = $1`, [row.id]),
    ).rejects.toThrow('provider_audit_logs is append-only (UPDATE refused)');
    await expect(
      db.query(`UPDATE provider_audit_logs SET details = '{}', ip_address = '10.0.0.1' WHERE id = $1`, [row.id]),
    ).rejects.toThrow('append-only');
    await expect(db.query('UPDATE provider_audit_logs SET action = action WHERE id = $1', [row.id])).rejects.toThrow(
      'append-only',
    );
    await expect(db.query('DELETE FROM provider_audit_logs WHERE id = $1', [row.id])).rejects.toThrow(
      'provider_audit_logs is append-only (DELETE refused)',
    );
    expect(await auditRowsOf(row.provider_id!)).toEqual([row]);
  });

  it('keeps the whole trail through a connection lifecycle, a disconnect and the provider soft delete', async () => {
    const subject = await createLinkedProvider();
    const sealed = { accessTokenEncrypted: 'v1.k.a', refreshTokenEncrypted: null, idTokenEncrypted: null, keyId: 'k' };
    await audit(subject, 'provider_created');
    await db.transaction(async (manager) => {
      await connections.lockForWrite(manager, subject.connectionId);
      await connections.storeAuthorized(manager, subject.connectionId, sealed, {
        tokenType: 'Bearer',
        expiresAt: null,
        refreshTokenExpiresAt: null,
        scope: null,
        connectedAt: new Date(),
      });
    });
    await audit(subject, 'token_created');
    await db.transaction((manager) => connections.markRequiresReauth(manager, subject.connectionId, 'again'));
    await audit(subject, 'token_refresh_failed');
    await db.transaction(async (manager) => {
      await connections.lockForWrite(manager, subject.connectionId);
      await connections.disconnect(manager, subject.connectionId);
    });
    await audit(subject, 'connection_revoked');
    await db.query('UPDATE providers SET deleted_at = now() WHERE id = $1', [subject.providerId]);
    await audit(subject, 'provider_deleted');

    const rows = await auditRowsOf(subject.providerId);
    expect(rows.map((row) => row.action)).toEqual([
      'provider_created',
      'token_created',
      'token_refresh_failed',
      'connection_revoked',
      'provider_deleted',
    ]);
    expect(rows.every((row) => row.connection_id === subject.connectionId && row.user_id === subject.userId)).toBe(
      true,
    );
  });

  it('lets deleting the user (and with it the provider and connection) null the references and keeps every row', async () => {
    const subject = await createLinkedProvider();
    const before = [await audit(subject, 'provider_created'), await audit(subject, 'connection_initiated')];

    await db.query('DELETE FROM users WHERE id = $1', [subject.userId]);

    const after = await auditRowsOf(subject.providerId);
    expect(after).toEqual(before.map((row) => ({ ...row, connection_id: null, user_id: null })));
    const [{ n }] = (await db.query('SELECT count(*)::int AS n FROM provider_connections WHERE id = $1', [
      subject.connectionId,
    ])) as Array<{ n: number }>;
    expect(n).toBe(0);
  });

  it('lets deleting only the connection null that reference', async () => {
    const subject = await createLinkedProvider();
    const row = await audit(subject, 'provider_created');

    await db.query('DELETE FROM provider_connections WHERE id = $1', [subject.connectionId]);

    expect(await auditRowsOf(subject.providerId)).toEqual([{ ...row, connection_id: null }]);
  });

  it('refuses other changes sneaked in with the nulling, and re-pointing a reference', async () => {
    const subject = await createLinkedProvider();
    const other = await createLinkedProvider();
    const row = await audit(subject, 'provider_created');

    await expect(
      db.query(`UPDATE provider_audit_logs SET user_id = NULL, details = '{}' WHERE id = $1`, [row.id]),
    ).rejects.toThrow('append-only');
    await expect(
      db.query(`UPDATE provider_audit_logs SET connection_id = NULL, action = 'x' WHERE id = $1`, [row.id]),
    ).rejects.toThrow('append-only');
    await expect(
      db.query('UPDATE provider_audit_logs SET connection_id = $2 WHERE id = $1', [row.id, other.connectionId]),
    ).rejects.toThrow('append-only');
    await expect(
      db.query('UPDATE provider_audit_logs SET user_id = $2 WHERE id = $1', [row.id, other.userId]),
    ).rejects.toThrow('append-only');
    expect(await auditRowsOf(subject.providerId)).toEqual([row]);
  });

  it('reverts cleanly', async () => {
    const migration = db.migrations.find((m) => m.name === MIGRATION)!;
    expect(migration).toBeDefined();
    const runner = db.createQueryRunner();
    try {
      await migration.down(runner);
      const row = await audit(await createLinkedProvider(), 'provider_created');
      await db.query('DELETE FROM provider_audit_logs WHERE id = $1', [row.id]);
      await migration.up(runner);
      const again = await audit(await createLinkedProvider(), 'provider_created');
      await expect(db.query('DELETE FROM provider_audit_logs WHERE id = $1', [again.id])).rejects.toThrow(
        'append-only',
      );
    } finally {
      await runner.release();
    }
  });
});
