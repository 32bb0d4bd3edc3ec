/** BullMQ names of the proactive token refresh. Queue names may not contain ':'. */
export const TOKEN_REFRESH_QUEUE = 'provider-token-refresh';
export const SCAN_SCHEDULER_ID = 'scan-expiring-tokens';

export const SCAN_JOB = 'scan';
export const REFRESH_JOB = 'refresh';

/** A custom backoff type: exponential from the job's own delay, never sooner than the institution's Retry-After. */
export const INSTITUTION_BACKOFF = 'institution';

/** One connection whose access token expires inside the lead time. */
export interface RefreshJobData {
  connectionId: string;
  /** The expiry the scan saw, ISO-8601; part of the job id. */
  expiresAt: string;
}

/**
 * What a finished refresh job leaves in Redis: facts only, never a token. `current`: the connection
 * now holds a token valid beyond the lead time (refreshed by this job, or by anyone before it).
 */
export interface RefreshJobResult {
  outcome: 'current' | 'requires_reauth' | 'not_connected' | 'tokens_unreadable';
  expiresAt: string | null;
}

/** What a scan job leaves: how many tokens were due. */
export interface ScanJobResult {
  due: number;
}

/**
 * One job per connection and expiry: every instance's scan derives the same id for the same token,
 * and BullMQ ignores an add whose id exists, so a token is enqueued once however many scans see it.
 * A refresh moves the expiry, so the next expiry gets a new job.
 */
export function refreshJobId(data: RefreshJobData): string {
  return `refresh-${data.connectionId}-${new Date(data.expiresAt).getTime()}`;
}
