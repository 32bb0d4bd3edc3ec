import { amount, percent, quantity } from './money';

describe('money', () => {
  it('turns whole cents into numbers that print with at most two decimals', () => {
    expect(String(amount(103_350))).toBe('1033.5');
    expect(String(amount(7))).toBe('0.07');
    expect(String(amount(-1))).toBe('-0.01');
    for (let cents = -1000; cents <= 1000; cents += 7) {
      expect(String(amount(cents))).toMatch(/^-?\d+(\.\d{1,2})?$/);
    }
  });

  it('refuses fractions of a cent', () => {
    expect(() => amount(1.5)).toThrow(RangeError);
  });

  it('turns thousandths into quantities with at most three decimals', () => {
    expect(String(quantity(1_622_357))).toBe('1622.357');
    expect(String(quantity(-75_000))).toBe('-75');
    expect(() => quantity(0.5)).toThrow(RangeError);
  });

  it('rounds percentages to two decimals', () => {
    expect(percent(1, 3)).toBe(33.33);
    expect(percent(5, 0)).toBe(0);
  });
});
