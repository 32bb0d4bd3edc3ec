import { Inject, Injectable } from '@nestjs/common';
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

import { authConfig, type AuthConfig } from '@dashtam/config';

import { AppError } from '../common/errors';
import type { TransactionFilters, TransactionPosition } from './transaction.views';

const VERSION = 1;
const DATE_BYTES = 10; // YYYY-MM-DD
const ID_BYTES = 16;
const MAC_BYTES = 16; // HMAC-SHA256 truncated to 128 bits: unforgeable, and the cursor stays short
const PAYLOAD_BYTES = 1 + DATE_BYTES + ID_BYTES;
const CURSOR_BYTES = PAYLOAD_BYTES + MAC_BYTES;
// 43 bytes → 58 base64url characters (no padding).
const CURSOR_PATTERN = /^[A-Za-z0-9_-]{58}$/;
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Domain separation: this key signs cursors and nothing else, though it comes from the JWT secret.
const KEY_INFO = 'dashtam/transactions-cursor/v1';

/** Who asked and with which filters: a cursor is only valid for the query that produced it. */
export interface CursorScope {
  userId: string;
  filters: TransactionFilters;
}

/**
 * The transaction list's opaque keyset cursor: the last row's (date, id), signed with HMAC-SHA256 over
 * the position, the caller's id and the normalised filters. So a cursor Dashtam did not issue, one
 * altered by a single bit, another user's, or one reused with other filters is refused (400) before
 * any query, and a client cannot steer the keyset. `limit` is not bound: pages may change size.
 * Layout (base64url): version (1 byte) ‖ date ASCII (10) ‖ id (16) ‖ MAC (16). The key is derived
 * (HKDF-SHA256) from JWT_SECRET, so rotating that secret also retires every outstanding cursor.
 */
@Injectable()
export class TransactionCursorCodec {
  private readonly key: Buffer;

  constructor(@Inject(authConfig.KEY) auth: Pick<AuthConfig, 'jwtSecret'>) {
    this.key = Buffer.from(hkdfSync('sha256', auth.jwtSecret, Buffer.alloc(0), KEY_INFO, 32));
  }

  encode(position: TransactionPosition, scope: CursorScope): string {
    if (!DATE_PATTERN.test(position.date) || !UUID_PATTERN.test(position.id)) {
      throw new Error('A transaction cursor needs a YYYY-MM-DD date and a UUID');
    }
    const payload = Buffer.concat([
      Buffer.from([VERSION]),
      Buffer.from(position.date, 'ascii'),
      Buffer.from(position.id.replace(/-/g, ''), 'hex'),
    ]);
    return Buffer.concat([payload, this.mac(payload, scope)]).toString('base64url');
  }

  /** The position a cursor names, or a 400 when this server did not issue it for this query. */
  decode(cursor: string, scope: CursorScope): TransactionPosition {
    if (!CURSOR_PATTERN.test(cursor)) throw invalidCursor();
    const bytes = Buffer.from(cursor, 'base64url');
    // Base64url has spare bits in its last character: only the one spelling we issue is accepted.
    if (bytes.length !== CURSOR_BYTES || bytes.toString('base64url') !== cursor) throw invalidCursor();
    const payload = bytes.subarray(0, PAYLOAD_BYTES);
    if (payload[0] !== VERSION || !timingSafeEqual(bytes.subarray(PAYLOAD_BYTES), this.mac(payload, scope))) {
      throw invalidCursor();
    }
    const date = payload.subarray(1, 1 + DATE_BYTES).toString('ascii');
    const hex = payload.subarray(1 + DATE_BYTES).toString('hex');
    const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    // Signed by us, so well-formed; checked anyway so a bug elsewhere can never reach SQL as a 500.
    if (!DATE_PATTERN.test(date)) throw invalidCursor();
    return { date, id };
  }

  private mac(payload: Buffer, scope: CursorScope): Buffer {
    const { accountId, providerId, from, to, type, symbol } = scope.filters;
    // A JSON array is an unambiguous encoding of the scope (no field can bleed into the next).
    const bound = JSON.stringify([scope.userId, accountId, providerId, from, to, type, symbol]);
    return createHmac('sha256', this.key).update(payload).update(bound, 'utf8').digest().subarray(0, MAC_BYTES);
  }
}

function invalidCursor(): AppError {
  return new AppError('VALIDATION.FAILED', 'The request has invalid fields', {
    errors: [
      {
        field: 'cursor',
        message: 'cursor was not issued by this server for this query (same user and filters); start without it',
        code: 'cursor_invalid',
      },
    ],
  });
}
