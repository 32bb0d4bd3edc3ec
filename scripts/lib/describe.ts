import { relative, sep } from 'node:path';

import type { ProvisionedDatabase } from './provision-database';
import { maskUrl } from './url-mask';

/** One clause naming the database a run uses and why, passwords masked. */
export function describeDatabase(database: ProvisionedDatabase, dataDir: string): string {
  const at = maskUrl(database.url);
  switch (database.source) {
    case 'configured':
      return `database ${at}`;
    case 'created':
      return `database ${at} (role and database just created through DATABASE_ADMIN_URL)`;
    case 'embedded':
      return (
        `database ${at} on embedded PostgreSQL ${database.embedded?.major ?? ''}`.trimEnd() +
        `, data in ${dataDir} (${database.reason ?? 'configured server not usable'})`
      );
  }
}

/** One clause naming the cache: the Redis that answered, or memory and why. */
export function describeCache(redisUrl: string | null, answers: boolean): string {
  if (redisUrl && answers) return `cache Redis ${maskUrl(redisUrl)}`;
  return redisUrl
    ? `cache in memory (no Redis answers at ${maskUrl(redisUrl)})`
    : 'cache in memory (REDIS_URL is empty)';
}

/** A path as a reader of the terminal wants it: relative inside the checkout, absolute elsewhere. */
export function shownPath(root: string, path: string): string {
  return path.startsWith(root + sep) ? relative(root, path) : path;
}
