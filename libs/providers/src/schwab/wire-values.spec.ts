import { calendarDate, identifier, label, lookup, money, quantity } from './wire-values';

describe('calendarDate', () => {
  it.each([
    ['2024-06-13T18:09:26+0000', '2024-06-13'], // Schwab's form, 14:09 in New York
    ['2024-06-14T01:30:00+0000', '2024-06-13'], // 21:30 the evening before in New York
    ['2024-01-05T04:30:00Z', '2024-01-04'], // EST (UTC-5) in winter
    ['2024-06-13T04:00:00+0000', '2024-06-13'], // midnight in New York (EDT)
    ['2024-06-13T00:00:00+0000', '2024-06-13'], // a date sent as midnight UTC
    ['2024-06-13T00:00:00.000-05:00', '2024-06-13'],
    ['2024-06-13', '2024-06-13'],
    ['2024-06-13T10:00:00', '2024-06-13'], // no offset: the date as written
    [' 2024-06-13T18:09:26.123+00:00 ', '2024-06-13'],
  ])('%p → %s', (value, date) => {
    expect(calendarDate(value)).toBe(date);
  });

  it.each([
    '2024-02-30',
    '2024-13-01',
    '9999-01-01',
    '1800-01-01',
    '2024-06-13T25:00:00Z',
    'yesterday',
    '',
    20240613,
    null,
  ])('%p → null', (value) => {
    expect(calendarDate(value)).toBeNull();
  });
});

describe('label and identifier', () => {
  it('labels lose control characters and unpaired surrogates, and are cut at a character boundary', () => {
    expect(label('  A\u0000B\nC  ')).toBe('A B C');
    expect(label('x\ud800')).toBe('x\ufffd');
    expect(label('ab😀cd', 3)).toBe('ab😀');
    expect(label('   ')).toBeNull();
    expect(label(5)).toBeNull();
  });

  it('identifiers are never cut: too long is null; integers are exact', () => {
    expect(identifier('A'.repeat(128))).toHaveLength(128);
    expect(identifier('A'.repeat(129))).toBeNull();
    expect(identifier(95000000101)).toBe('95000000101');
    expect(identifier(1e21)).toBe('1000000000000000000000');
    expect(identifier(1.5)).toBeNull();
    expect(identifier('AAPL  260116C00200000')).toBe('AAPL  260116C00200000');
  });

  it('money and quantities fit their columns', () => {
    expect(money('999999999999999.99')).toBe('999999999999999.99');
    expect(money(1e15)).toBeNull();
    expect(quantity('99999999999.5')).toBe('99999999999.5');
    expect(quantity(1e11)).toBeNull();
    expect(money('12,5')).toBeNull();
  });

  it("look-ups see only the table's own keys", () => {
    expect(lookup({ A: 1 }, 'A')).toBe(1);
    expect(lookup({ A: 1 }, 'constructor')).toBeUndefined();
  });
});
