import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface ExpiringToken {
  connectionId: string;
  expiresAt: Date;
}

// Only what a refresh can help: a live provider, a connection whose tokens are in use ('error' means
// syncs fail, its tokens still matter) and a refresh token to send. Range on ix_provider_tokens_expires_at.
// The page cursor is the expiry as PostgreSQL's own text: a JS Date keeps milliseconds, the column
// keeps microseconds, and a cursor rounded down would match its own page again (and again).
const DUE = `
  SELECT t.connection_id AS "connectionId", t.expires_at AS "expiresAt", t.expires_at::text AS "cursor"
    FROM provider_tokens t
    JOIN provider_connections c ON c.id = t.connection_id
    JOIN providers p ON p.id = c.provider_id
   WHERE t.expires_at <= $1
     AND t.refresh_token_encrypted IS NOT NULL
     AND c.status IN ('active', 'error')
     AND p.deleted_at IS NULL`;

const FIRST_PAGE = `${DUE} ORDER BY t.expires_at, t.connection_id LIMIT $2`;
const NEXT_PAGE = `${DUE}
     AND t.expires_at >= $3::timestamptz AND (t.expires_at, t.connection_id) > ($3::timestamptz, $4::uuid)
   ORDER BY t.expires_at, t.connection_id LIMIT $2`;

interface DueRow extends ExpiringToken {
  cursor: string;
}

/** Reads the connections the proactive refresh must look at, in bounded batches. */
@Injectable()
export class ExpiringTokensFinder {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Tokens expiring at or before `horizon` (expired ones included), soonest first. Keyset pages on
   * (expires_at, connection_id): no OFFSET rescans, and a row refreshed meanwhile moves past the
   * horizon instead of shifting the pages.
   */
  async *batches(horizon: Date, batchSize: number): AsyncGenerator<ExpiringToken[]> {
    let last: DueRow | undefined;
    for (;;) {
      const rows = (await (last
        ? this.dataSource.query(NEXT_PAGE, [horizon, batchSize, last.cursor, last.connectionId])
        : this.dataSource.query(FIRST_PAGE, [horizon, batchSize]))) as DueRow[];
      if (rows.length > 0) yield rows;
      if (rows.length < batchSize) return;
      last = rows[rows.length - 1];
    }
  }
}
