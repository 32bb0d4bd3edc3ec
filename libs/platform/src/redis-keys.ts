import { createHash } from 'node:crypto';

// Every key Dashtam writes to Redis starts here, so deployments sharing an index stay apart from other
// tenants and `dashtam:*` lists the whole keyspace. BullMQ builds its own keys under `jobs` (or under
// JOBS_QUEUE_PREFIX when set).
const PREFIX = 'dashtam';

const sha256 = (value: string, encoding: 'hex' | 'base64url'): string =>
  createHash('sha256').update(value, 'utf8').digest(encoding);

/**
 * The one builder of Redis keys: the Nest cache's entries and those of the atomic stores (OAuth
 * state, counters). Parts are stable ids or digests — a Redis dump holds no live state and no email.
 */
export const redisKeys = {
  /** Cached answer of SessionValidityService (the Nest cache). */
  session: (sessionId: string): string => `${PREFIX}:auth:session:${sessionId}`,
  /** One-time OAuth state (single use, GETDEL): keyed by the state's digest. */
  oauthState: (state: string): string => `${PREFIX}:oauth-state:${sha256(state, 'base64url')}`,
  /** Rate-limit counter of one @nestjs/throttler throttler and its (already hashed) key. */
  throttleCounter: (throttler: string, key: string): string => `${PREFIX}:counter:throttle:${throttler}:${key}`,
  /** Failed-login counter of an email that has no account (as normalised by the caller), keyed by its digest. */
  lockoutCounter: (email: string): string => `${PREFIX}:counter:lockout:${sha256(email, 'hex')}`,
  /**
   * A refresh the institution answered whose tokens are not stored yet (sealed envelopes only), keyed
   * by the connection and the token row version it was refreshed from.
   */
  pendingTokens: (connectionId: string, fromVersion: number): string =>
    `${PREFIX}:pending-tokens:${connectionId}:${fromVersion}`,
  /** A claimed SimpleFIN Access URL (sealed) waiting to be stored, keyed by a digest of provider and setup token. */
  claimedCredential: (digest: string): string => `${PREFIX}:claimed-credential:${digest}`,
  /** Held while one request links a provider with credentials (CredentialLinkLocks). */
  credentialLinkLock: (providerId: string): string => `${PREFIX}:lock:credential-link:${providerId}`,
  /** Calls to an institution with a daily budget, per connection and UTC day (`YYYY-MM-DD`). */
  providerBudget: (providerKey: string, connectionId: string, day: string): string =>
    `${PREFIX}:counter:provider-budget:${providerKey}:${connectionId}:${day}`,
  /** Connections whose budget of that UTC day is spent (the scheduler leaves them until midnight). */
  providerBudgetSpent: (providerKey: string, day: string): string =>
    `${PREFIX}:counter:provider-budget-spent:${providerKey}:${day}`,
  /** Present while `counterKey` is blocked; its TTL is what remains of the block. */
  counterBlock: (counterKey: string): string => `${counterKey}:block`,
  /** The prefix of every BullMQ key, unless JOBS_QUEUE_PREFIX names another. */
  jobs: `${PREFIX}:jobs`,
} as const;
