import {
  absDecimal,
  addDecimals,
  fitsNumeric,
  multiplyDecimals,
  negateDecimal,
  signOf,
  subtractDecimals,
  toDecimal,
} from './decimal';

describe('decimal strings', () => {
  it('turns JSON numbers into exact decimal strings', () => {
    expect(toDecimal(0.1)).toBe('0.1');
    expect(toDecimal(1234.5)).toBe('1234.5');
    expect(toDecimal(-0.65)).toBe('-0.65');
    expect(toDecimal(1e-7)).toBe('0.0000001');
    expect(toDecimal(1.5e21)).toBe('1500000000000000000000');
    expect(toDecimal(100)).toBe('100');
    expect(toDecimal('12.3400')).toBe('12.34');
    expect(toDecimal(-0)).toBe('0');
  });

  it('refuses what is not a finite number', () => {
    expect(toDecimal(Number.NaN)).toBeNull();
    expect(toDecimal(Infinity)).toBeNull();
    expect(toDecimal('12,5')).toBeNull();
    expect(toDecimal(null)).toBeNull();
    expect(toDecimal(undefined)).toBeNull();
  });

  it('refuses exponents and lengths no amount needs (a hostile 1e999999 builds no huge string)', () => {
    expect(toDecimal('1e999999')).toBeNull();
    expect(toDecimal('1e-999999')).toBeNull();
    expect(toDecimal(1e300)).toBeNull();
    expect(toDecimal('1'.repeat(65))).toBeNull();
    expect(toDecimal('1e40')).toBe('1' + '0'.repeat(40));
  });

  it('tells whether a value fits a numeric(precision, scale) column', () => {
    expect(fitsNumeric('999999999999999.9999', 19, 4)).toBe(true);
    expect(fitsNumeric('-999999999999999', 19, 4)).toBe(true);
    expect(fitsNumeric('1000000000000000', 19, 4)).toBe(false);
    expect(fitsNumeric('0.000000001', 19, 8)).toBe(true);
    expect(fitsNumeric('123456789012', 19, 8)).toBe(false);
  });

  it('signs and negates', () => {
    expect([signOf('-0.01'), signOf('0'), signOf('3')]).toEqual([-1, 0, 1]);
    expect([negateDecimal('4.5'), negateDecimal('-4.5'), negateDecimal('0')]).toEqual(['-4.5', '4.5', '0']);
  });

  it('adds, subtracts and multiplies without float error', () => {
    expect(addDecimals('0.1', '0.2')).toBe('0.3');
    expect(subtractDecimals('100', '0.01')).toBe('99.99');
    expect(subtractDecimals('5', '12')).toBe('-7');
    expect(multiplyDecimals('187.123', '3')).toBe('561.369');
    expect(multiplyDecimals('0.1', '-0.2')).toBe('-0.02');
    expect(absDecimal('-4.95')).toBe('4.95');
    expect(absDecimal('4.95')).toBe('4.95');
  });
});
