import { AppError } from '../common/errors';
import { parseIdempotencyKey, requestHash } from './idempotency-key';

describe('parseIdempotencyKey', () => {
  it('takes a bare key and an sf-string alike', () => {
    expect(parseIdempotencyKey('8e03978e-40d5-43e8-bc93-6894a57f9324')).toBe('8e03978e-40d5-43e8-bc93-6894a57f9324');
    expect(parseIdempotencyKey('"8e03978e-40d5-43e8-bc93-6894a57f9324"')).toBe('8e03978e-40d5-43e8-bc93-6894a57f9324');
    expect(parseIdempotencyKey(undefined)).toBeNull();
  });

  it.each([
    ['empty', ''],
    ['empty sf-string', '""'],
    ['too long', 'k'.repeat(256)],
    ['a space', 'two words'],
    ['a quote inside', 'a"b'],
    ['a backslash', 'a\\b'],
    ['non-ASCII', 'clé'],
    ['a control character', 'a\tb'],
  ])('refuses %s with a 400 naming the header', (_label, header) => {
    let error: unknown;
    try {
      parseIdempotencyKey(header);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('VALIDATION.FAILED');
    expect((error as AppError).options.errors?.[0]).toMatchObject({ field: 'Idempotency-Key' });
  });

  it('refuses the header sent twice', () => {
    expect(() => parseIdempotencyKey(['a', 'b'])).toThrow(AppError);
  });

  it('accepts 255 characters', () => {
    expect(parseIdempotencyKey('k'.repeat(255))).toHaveLength(255);
  });
});

describe('requestHash', () => {
  const path = '/api/v1/providers/0d3c5b1e-0000-4000-8000-000000000001/syncs';

  it('is the same for no body and an empty object, and ignores key order', () => {
    expect(requestHash('POST', path, undefined)).toBe(requestHash('post', path, {}));
    expect(requestHash('POST', path, { a: 1, b: [1, { c: 2, d: 3 }] })).toBe(
      requestHash('POST', path, { b: [1, { d: 3, c: 2 }], a: 1 }),
    );
  });

  it('differs with the path, the method or the body', () => {
    const base = requestHash('POST', path, undefined);
    expect(requestHash('POST', path.replace('0001', '0002'), undefined)).not.toBe(base);
    expect(requestHash('PUT', path, undefined)).not.toBe(base);
    expect(requestHash('POST', path, { full: true })).not.toBe(base);
  });
});
