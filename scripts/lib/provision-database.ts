import { Client } from 'pg';

import { canConnect, ensureRoleAndDatabase } from '@dashtam/database';

import type { EmbeddedPostgres, RunningPostgres } from './embedded-postgres';
import { maskUrl, withHostPort } from './url-mask';

export interface DatabaseTarget {
  url: string;
  adminUrl: string | null;
}

export type DatabaseSource = 'configured' | 'created' | 'embedded';

export interface ProvisionedDatabase {
  source: DatabaseSource;
  url: string;
  adminUrl: string | null;
  /** Why the configured server was not used; set only for `embedded`. */
  reason?: string;
  embedded?: RunningPostgres;
}

export interface ProvisionOptions {
  /**
   * `target`: a DATABASE_URL that already works is used as is (development keeps its data and never
   * needs admin rights). `admin`: the admin connection first ensures role, database and extensions
   * even when they exist, as docker/init-test-db.sh does for tests.
   */
  prefer: 'target' | 'admin';
  /** Started only when the configured server cannot be used. */
  embedded: Pick<EmbeddedPostgres, 'start' | 'stop'>;
}

type Attempt = { ok: true; source: 'configured' | 'created' } | { ok: false; reason: string };

const firstLine = (error: unknown): string => (error instanceof Error ? error.message : String(error)).split('\n')[0];

async function useConfigured(target: DatabaseTarget, prefer: ProvisionOptions['prefer']): Promise<Attempt> {
  if (prefer === 'target' && (await canConnect(target.url))) return { ok: true, source: 'configured' };
  let reason = `no usable PostgreSQL at ${maskUrl(target.url)}`;
  if (target.adminUrl && (await canConnect(target.adminUrl))) {
    try {
      const created = await ensureRoleAndDatabase(target.adminUrl, target.url);
      if (await canConnect(target.url)) {
        return { ok: true, source: created.createdRole || created.createdDatabase ? 'created' : 'configured' };
      }
      reason = `${maskUrl(target.url)} refuses its role even after the admin connection set it up`;
    } catch (error) {
      reason = `the admin connection could not create the role and database: ${firstLine(error)}`;
    }
  }
  // An admin without rights is no reason to give up on a database that works by itself.
  if (prefer === 'admin' && (await canConnect(target.url))) return { ok: true, source: 'configured' };
  return { ok: false, reason };
}

/** Our own cluster: the configured role's password is the one that must work, whatever it was before. */
async function setRolePassword(adminUrl: string, url: string): Promise<void> {
  const { username, password } = new URL(url);
  const admin = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 3_000 });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ sql: string }>(
      'SELECT format($$ALTER ROLE %I PASSWORD %L$$, $1::text, $2::text) AS sql',
      [decodeURIComponent(username), decodeURIComponent(password)],
    );
    await admin.query(rows[0].sql);
  } finally {
    await admin.end();
  }
}

/**
 * Decides which PostgreSQL a local run uses: the configured server when its database works or can
 * be created through DATABASE_ADMIN_URL, else the embedded cluster, where the configured role and
 * database (same names and password) are created on the cluster's own port.
 */
export async function provisionDatabase(
  target: DatabaseTarget,
  options: ProvisionOptions,
): Promise<ProvisionedDatabase> {
  const attempt = await useConfigured(target, options.prefer);
  if (attempt.ok) return { source: attempt.source, url: target.url, adminUrl: target.adminUrl };

  const embedded = await options.embedded.start();
  try {
    const url = withHostPort(target.url, '127.0.0.1', embedded.port);
    await ensureRoleAndDatabase(embedded.adminUrl, url);
    await setRolePassword(embedded.adminUrl, url);
    return { source: 'embedded', url, adminUrl: embedded.adminUrl, reason: attempt.reason, embedded };
  } catch (error) {
    if (embedded.startedNow) await options.embedded.stop();
    throw error;
  }
}
