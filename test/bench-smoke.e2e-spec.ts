import { execFile, type ExecFileException } from 'node:child_process';
import { join } from 'node:path';

import { Client } from 'pg';

import { getConfig } from '@dashtam/config';

const ROOT = join(__dirname, '..');
const RUN_TIMEOUT_MS = 150_000;

/**
 * `make bench` in its tiny mode (a second per slice, two users, a 20-connection sweep, a sync of 1,000
 * transactions, no targets), so the harness cannot rot: it must build its own database, start the api and
 * the baseline, seed through the api and the sync's repositories, find both answering alike (the
 * transactions page's signed cursor included), load them, sweep, sync twice, print every row and clean up. No figure is
 * asserted: the suite never depends on the machine's speed.
 */
describe('make bench (tiny mode)', () => {
  const config = getConfig();
  const database = `${config.database.name.replace('test', 'bench')}_smoke`;

  it(
    'prints one row per scenario, none failed, and leaves no database behind',
    async () => {
      const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((done) =>
        execFile(
          process.execPath,
          [
            '-r',
            'ts-node/register/transpile-only',
            '-r',
            'tsconfig-paths/register',
            'bench/run.ts',
            '--tiny',
            '--database',
            database,
          ],
          { cwd: ROOT, env: process.env, timeout: RUN_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
          (error: ExecFileException | null, out, err) =>
            done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout: out, stderr: err }),
        ),
      );
      expect({ code, stderr: code === 0 ? '' : stderr.slice(-4000) }).toEqual({ code: 0, stderr: '' });

      const rows = stdout.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| scenario'));
      const scenarios = rows.map((row) => row.split('|')[1].trim());
      expect(scenarios).toEqual([
        'api cold start to the first GET /health 200',
        'GET /api/v1/providers (5 rows), 8 connections',
        'GET /api/v1/providers/{id}/authorization, 8 connections',
        'GET /api/v1/transactions (first 50 of 10,000), 8 connections',
        'GET /api/v1/portfolio/summary (10 accounts, 200 positions), 8 connections',
        'api RSS after 1 s at 8 connections',
        'proactive refresh of 20 connections, 1 api process(es)',
        'first sync of one Sandbox account (1,000 transactions)',
        'the same sync again, nothing changed',
      ]);
      // Tiny mode sets no targets: a row says "—" unless it failed (non-2xx answers, lost tokens).
      expect(rows.map((row) => row.split('|').slice(-2)[0].trim())).toEqual(rows.map(() => '—'));
      expect(stdout).toContain('20 token calls, 0 lost');
      expect(stdout).toContain('1,000 created, 1,000 stored once');

      const admin = new Client({ connectionString: config.database.adminUrl! });
      await admin.connect();
      try {
        const left = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
        expect(left.rowCount).toBe(0);
      } finally {
        await admin.end();
      }
    },
    RUN_TIMEOUT_MS + 10_000,
  );
});
