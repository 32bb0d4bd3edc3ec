import { randomUUID } from 'node:crypto';

import { AppError } from '../common/errors';
import { type CursorScope, TransactionCursorCodec } from './transaction-cursor.codec';
import type { TransactionFilters } from './transaction.views';

const SECRET = 'unit-test-jwt-secret-of-at-least-32-characters';
const NO_FILTERS: TransactionFilters = {
  accountId: null,
  providerId: null,
  from: null,
  to: null,
  type: null,
  symbol: null,
};

function refusal(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    return error as AppError;
  }
  throw new Error('expected the cursor to be refused');
}

describe('TransactionCursorCodec', () => {
  const codec = new TransactionCursorCodec({ jwtSecret: SECRET });
  const scope: CursorScope = { userId: randomUUID(), filters: { ...NO_FILTERS } };
  const position = { date: '2025-11-03', id: randomUUID() };

  it('round-trips a position for the same user and filters', () => {
    const cursor = codec.encode(position, scope);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]{58}$/);
    expect(codec.decode(cursor, { userId: scope.userId, filters: { ...NO_FILTERS } })).toEqual(position);
  });

  it('is opaque: neither the date nor the id appears in the cursor as text', () => {
    const cursor = codec.encode(position, scope);
    expect(cursor).not.toContain('2025');
    expect(cursor).not.toContain(position.id.slice(0, 8));
  });

  it('normalises an upper-case id to the lower-case UUID it names', () => {
    const upper = { date: position.date, id: position.id.toUpperCase() };
    expect(codec.decode(codec.encode(upper, scope), scope)).toEqual(position);
  });

  it('refuses a cursor with any single bit flipped (position, version or MAC)', () => {
    const bytes = Buffer.from(codec.encode(position, scope), 'base64url');
    for (let index = 0; index < bytes.length; index += 1) {
      for (const bit of [0x01, 0x80]) {
        const tampered = Buffer.from(bytes);
        tampered[index] ^= bit;
        const error = refusal(() => codec.decode(tampered.toString('base64url'), scope));
        expect(error).toBeInstanceOf(AppError);
        expect(error.code).toBe('VALIDATION.FAILED');
        expect(error.options.errors).toEqual([expect.objectContaining({ field: 'cursor', code: 'cursor_invalid' })]);
      }
    }
  });

  it('refuses another spelling of the same bytes (the spare bits of the last base64url character)', () => {
    const cursor = codec.encode(position, scope);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(cursor[cursor.length - 1]);
    // 43 bytes leave 2 unused low bits in the 58th character: setting them names the same bytes.
    const respelt = cursor.slice(0, -1) + alphabet[last ^ 0b01];
    expect(Buffer.from(respelt, 'base64url')).toEqual(Buffer.from(cursor, 'base64url'));
    expect(refusal(() => codec.decode(respelt, scope)).code).toBe('VALIDATION.FAILED');
  });

  it("refuses another user's cursor and a cursor reused with any other filter", () => {
    const filtered: CursorScope = {
      userId: scope.userId,
      filters: {
        accountId: randomUUID(),
        providerId: randomUUID(),
        from: '2025-01-01',
        to: '2025-12-31',
        type: 'buy',
        symbol: 'AAPL',
      },
    };
    const cursor = codec.encode(position, filtered);
    expect(codec.decode(cursor, filtered)).toEqual(position);
    expect(refusal(() => codec.decode(cursor, { ...filtered, userId: randomUUID() })).code).toBe('VALIDATION.FAILED');
    for (const key of Object.keys(filtered.filters) as Array<keyof TransactionFilters>) {
      const other = { ...filtered.filters, [key]: null };
      expect(refusal(() => codec.decode(cursor, { ...filtered, filters: other })).code).toBe('VALIDATION.FAILED');
    }
    // The filters are bound as a whole: moving a value from one filter to another changes the MAC too.
    const shifted = { ...filtered.filters, from: null, to: '2025-01-01' };
    expect(refusal(() => codec.decode(cursor, { ...filtered, filters: shifted })).code).toBe('VALIDATION.FAILED');
  });

  it('refuses a cursor signed with another secret (another server, or a rotated JWT secret)', () => {
    const other = new TransactionCursorCodec({ jwtSecret: `${SECRET}-rotated` });
    expect(refusal(() => codec.decode(other.encode(position, scope), scope)).code).toBe('VALIDATION.FAILED');
  });

  it.each([
    ['empty', ''],
    ['too short', 'abc'],
    ['not base64url', '!'.repeat(58)],
    ['padded base64', `${'A'.repeat(56)}==`],
    ['too long', 'A'.repeat(59)],
    ['zeros of the right length', 'A'.repeat(58)],
    ['a page number', '2'],
    ['JSON', '{"date":"2025-01-01","id":"x"}'],
  ])('refuses a cursor that is %s', (_label, cursor) => {
    expect(refusal(() => codec.decode(cursor, scope)).code).toBe('VALIDATION.FAILED');
  });

  it('refuses to encode what is not a date and a UUID (a programming error, never a client one)', () => {
    expect(() => codec.encode({ date: '2025-1-1', id: position.id }, scope)).toThrow(/YYYY-MM-DD/);
    expect(() => codec.encode({ date: position.date, id: 'not-a-uuid' }, scope)).toThrow(/UUID/);
  });
});
