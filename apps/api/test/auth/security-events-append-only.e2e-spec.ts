import { DataSource } from 'typeorm';

import { getConfig } from '@dashtam/config';
import { buildDataSourceOptions, createScratchDatabase, dropDatabase } from '@dashtam/database';

/**
 * The test database is built from entities, which cannot carry triggers; this suite applies the
 * committed migrations to a scratch database to check what production gets.
 */
describe('security_events is append-only in a migrated database', () => {
  const config = getConfig().database;
  const adminUrl = config.adminUrl!;
  const scratch = `dashtam_test_append_only_${process.pid}`;
  let db: DataSource;

  beforeAll(async () => {
    const url = await createScratchDatabase(adminUrl, scratch);
    db = await new DataSource(buildDataSourceOptions(config, { url, poolMax: 2 })).initialize();
    await db.runMigrations({ transaction: 'each' });
  });
  afterAll(async () => {
    await db?.destroy();
    await dropDatabase(adminUrl, scratch);
  });

  const insertUserAndEvent = async (): Promise<{ userId: string; eventId: string }> => {
    const [user] = (await db.query(
      `INSERT INTO users (email, name, password_hash) VALUES ($1, 'x', 'h') RETURNING id`,
      [`u${Date.now()}${Math.random().toString(36).slice(2)}@example.test`],
    )) as Array<{ id: string }>;
    const [event] = (await db.query(
      `INSERT INTO security_events (user_id, event, details) VALUES ($1, 'login_failed', '{"reason":"x"}') RETURNING id`,
      [user.id],
    )) as Array<{ id: string }>;
    return { userId: user.id, eventId: event.id };
  };

  it('refuses UPDATE and DELETE of an event', async () => {
    const { eventId } = await insertUserAndEvent();
    await expect(
      db.query(`UPDATE security_events SET event = 'login_succeeded' WHERE id = $1`, [eventId]),
    ).rejects.toThrow('security_events is append-only (UPDATE refused)');
    await expect(db.query('DELETE FROM security_events WHERE id = $1', [eventId])).rejects.toThrow(
      'security_events is append-only (DELETE refused)',
    );
    const [row] = (await db.query('SELECT event FROM security_events WHERE id = $1', [eventId])) as Array<{
      event: string;
    }>;
    expect(row.event).toBe('login_failed');
  });

  it('lets a user deletion null the reference and keeps the event', async () => {
    const { userId, eventId } = await insertUserAndEvent();
    await db.query('DELETE FROM users WHERE id = $1', [userId]);
    const [row] = (await db.query('SELECT user_id, event FROM security_events WHERE id = $1', [eventId])) as Array<{
      user_id: string | null;
      event: string;
    }>;
    expect(row).toEqual({ user_id: null, event: 'login_failed' });
  });

  it('refuses sneaking other changes in with the nulling', async () => {
    const { eventId } = await insertUserAndEvent();
    await expect(
      db.query(`UPDATE security_events SET user_id = NULL, details = '{}' WHERE id = $1`, [eventId]),
    ).rejects.toThrow('append-only');
  });

  it('reverts cleanly', async () => {
    const migration = db.migrations.find((m) => m.name === 'SecurityEventsAppendOnly1795558862904')!;
    const runner = db.createQueryRunner();
    try {
      await migration.down(runner);
      const { eventId } = await insertUserAndEvent();
      await db.query('DELETE FROM security_events WHERE id = $1', [eventId]);
      await migration.up(runner);
    } finally {
      await runner.release();
    }
  });
});
