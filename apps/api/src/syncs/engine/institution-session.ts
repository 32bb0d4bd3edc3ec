import type { AuditContext, ProviderClient, TokenRefreshService } from '@dashtam/providers';
import { isOAuthClient, ProviderError, StoredCredentialUnreadableError } from '@dashtam/providers';

/** How many times one call waits out an institution's Retry-After before the sync gives up. */
const MAX_WAITS_PER_CALL = 3;
const REFUSED_CREDENTIAL = new Set([401, 402, 403]);

export interface SessionOptions {
  connectionId: string;
  context: AuditContext;
  /** The longest Retry-After worth waiting for inside the sync. */
  maxWaitMs: number;
  /** Throws when the sync must stop (lease lost, shutdown); called before every attempt. */
  checkpoint: () => void;
  /** Waits `ms`; rejects when the sync must stop meanwhile. */
  wait: (ms: number) => Promise<void>;
}

/**
 * One sync's calls to its institution. Each call gets the vault's valid access token (refreshed when
 * near expiry, single-flight across processes); a call the institution refuses with 401 forces one
 * refresh and is tried once more; a 429/503 with a Retry-After the sync can afford is waited out,
 * then tried again. Anything else is the caller's failure to record.
 */
export class InstitutionSession {
  constructor(
    private readonly tokens: TokenRefreshService,
    readonly client: ProviderClient,
    private readonly options: SessionOptions,
  ) {}

  async call<T>(request: (accessToken: string) => Promise<T>): Promise<T> {
    const { connectionId, context, maxWaitMs } = this.options;
    let refreshed = false;
    let waits = 0;
    for (;;) {
      this.options.checkpoint();
      const token = await this.tokens.getValidAccessToken(connectionId, context);
      try {
        return await request(token.accessToken);
      } catch (error) {
        // Decrypted but not readable by its client: ends like ciphertext that fails authentication.
        if (error instanceof StoredCredentialUnreadableError) {
          throw await this.tokens.failUnreadableCredential(connectionId, context);
        }
        if (!(error instanceof ProviderError)) throw error;
        // Only an OAuth token can be renewed; a stored credential that is refused stays refused.
        if (error.status === 401 && !refreshed && isOAuthClient(this.client)) {
          // The token expired (or was revoked) at the institution before our clock says so.
          refreshed = true;
          await this.tokens.refreshNow(connectionId, context);
          continue;
        }
        // A credential has nothing to renew: refused means the person must link again (402: the
        // Bridge's subscription lapsed, which also needs them).
        if (!isOAuthClient(this.client) && error.status !== null && REFUSED_CREDENTIAL.has(error.status)) {
          throw await this.tokens.failRefusedCredential(connectionId, error, context);
        }
        const retryAfter = error.retryAfterMs;
        if ((error.status === 429 || error.status === 503) && retryAfter !== null && retryAfter <= maxWaitMs) {
          if (waits >= MAX_WAITS_PER_CALL) throw error;
          waits += 1;
          await this.options.wait(retryAfter);
          continue;
        }
        throw error;
      }
    }
  }
}
