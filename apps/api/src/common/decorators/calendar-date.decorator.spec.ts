import { assertDateRange, isCalendarDate } from './calendar-date.decorator';

describe('isCalendarDate', () => {
  it.each(['2024-02-29', '2025-12-31', '0001-01-01', '9999-12-31', '0099-06-15'])('accepts %s', (value) => {
    expect(isCalendarDate(value)).toBe(true);
  });

  it.each([
    '2023-02-29',
    '2024-02-30',
    '2024-13-01',
    '2024-00-10',
    '2024-04-31',
    '0000-01-01',
    '2024-1-01',
    '24-01-01',
    '2024-01-01T00:00:00Z',
    ' 2024-01-01',
    '2024-01-01\n',
    '20240101',
    '',
    '１２３４-01-01',
  ])('refuses %j', (value) => {
    expect(isCalendarDate(value)).toBe(false);
  });

  it('refuses what is not a string', () => {
    for (const value of [undefined, null, 20240101, ['2024-01-01'], { from: '2024-01-01' }]) {
      expect(isCalendarDate(value)).toBe(false);
    }
  });
});

describe('assertDateRange', () => {
  it('allows open ranges and from = to, refuses from after to with a field error on from', () => {
    expect(() => assertDateRange(undefined, undefined)).not.toThrow();
    expect(() => assertDateRange('2025-01-01', undefined)).not.toThrow();
    expect(() => assertDateRange('2025-01-01', '2025-01-01')).not.toThrow();
    expect(() => assertDateRange('2025-01-02', '2025-01-01')).toThrow(
      expect.objectContaining({
        code: 'VALIDATION.FAILED',
        options: { errors: [expect.objectContaining({ field: 'from', code: 'from_after_to' })] },
      }),
    );
  });
});
