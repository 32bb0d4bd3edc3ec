import type { EntityManager } from 'typeorm';

/** Where a state change was asked for; every field optional (a scheduled job has none of them). */
export interface AuditContext {
  requestId?: string | null;
  ipAddress?: string | null;
  userAgent?: string | null;
}

/** SPEC §4's actions, plus the provider lifecycle the API records. */
export type ProviderAuditAction =
  | 'provider_created'
  | 'provider_updated'
  | 'provider_deleted'
  | 'connection_initiated'
  | 'token_created'
  | 'token_refreshed'
  | 'token_refresh_failed'
  | 'sync_started'
  | 'sync_completed'
  | 'sync_failed'
  | 'connection_revoked'
  | 'connection_error';

export interface ProviderAuditEntry {
  action: ProviderAuditAction;
  providerId: string | null;
  connectionId: string | null;
  userId: string | null;
  /** Facts only: codes, timestamps, counters. Never a token, a code, a state or a verifier. */
  details: Record<string, string | number | boolean | null>;
}

/**
 * Appends one audit row through `manager`, so it commits or rolls back with the state change it
 * describes. Values are clipped to the column sizes rather than failing the change they document.
 */
export async function writeProviderAudit(
  manager: EntityManager,
  entry: ProviderAuditEntry,
  context: AuditContext = {},
): Promise<void> {
  // clock_timestamp(), not the column default now(): now() is the transaction's start, so two rows of
  // one transaction (disconnect + delete) would tie and "newest first" could list them in either order.
  await manager.query(
    `INSERT INTO provider_audit_logs
       (action, provider_id, connection_id, user_id, details, request_id, ip_address, user_agent, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, clock_timestamp(), clock_timestamp())`,
    [
      entry.action,
      entry.providerId,
      entry.connectionId,
      entry.userId,
      JSON.stringify(entry.details),
      clip(context.requestId, 64),
      clip(context.ipAddress, 45),
      clip(context.userAgent, 1024),
    ],
  );
}

/**
 * The same audit row as a statement part, for a write that records itself in its own round trip: an
 * `INSERT … SELECT … FROM source` to place in a data-modifying CTE after the CTE `source`, so the row is
 * written once per row `source` returns (none when the write matched nothing). `fromSource` adds detail
 * fields taken from that row (JSON key → column of `source`). Its parameters are numbered from
 * `firstParam`. Same columns, clipping and clock as writeProviderAudit.
 */
export function providerAuditFrom(
  source: string,
  entry: ProviderAuditEntry,
  fromSource: Record<string, string>,
  firstParam: number,
  context: AuditContext = {},
): { sql: string; params: unknown[] } {
  const p = (offset: number): string => `$${firstParam + offset}`;
  const extra = Object.entries(fromSource)
    .map(([key, column]) => `'${key}', ${source}."${column}"`)
    .join(', ');
  return {
    sql: `INSERT INTO provider_audit_logs
       (action, provider_id, connection_id, user_id, details, request_id, ip_address, user_agent, created_at, updated_at)
     SELECT ${p(0)}, ${p(1)}::uuid, ${p(2)}::uuid, ${p(3)}::uuid, ${p(4)}::jsonb || jsonb_build_object(${extra}),
            ${p(5)}, ${p(6)}, ${p(7)}, clock_timestamp(), clock_timestamp()
       FROM ${source}`,
    params: [
      entry.action,
      entry.providerId,
      entry.connectionId,
      entry.userId,
      JSON.stringify(entry.details),
      clip(context.requestId, 64),
      clip(context.ipAddress, 45),
      clip(context.userAgent, 1024),
    ],
  };
}

function clip(value: string | null | undefined, max: number): string | null {
  return value ? value.slice(0, max) : null;
}
