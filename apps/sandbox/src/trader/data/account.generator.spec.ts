import { ACCOUNT_KINDS } from './account-profiles';
import { generateAccounts } from './account.generator';
import { valuePositions } from './positions';

const DAY = 20_600; // a UTC day number in 2026

describe('generateAccounts', () => {
  const accounts = generateAccounts('dashtam-sandbox', 'sandbox-user');

  it('gives every user one account of each kind, with distinct numbers and hashes', () => {
    expect(accounts.map((a) => a.kind)).toEqual([...ACCOUNT_KINDS]);
    expect(accounts.map((a) => a.type)).toEqual(['CASH', 'MARGIN', 'CASH', 'CASH', 'CASH']);
    expect(new Set(accounts.map((a) => a.accountNumber)).size).toBe(5);
    for (const a of accounts) {
      expect(a.accountNumber).toMatch(/^\d{8}$/);
      expect(a.hashValue).toMatch(/^[0-9A-F]{64}$/);
    }
  });

  it('is a pure function of seed and user', () => {
    expect(generateAccounts('dashtam-sandbox', 'sandbox-user')).toEqual(accounts);
    expect(generateAccounts('dashtam-sandbox', 'someone-else')[0].accountNumber).not.toBe(accounts[0].accountNumber);
    expect(generateAccounts('other-seed', 'sandbox-user')[0].accountNumber).not.toBe(accounts[0].accountNumber);
  });

  it.each(['dashtam-sandbox', 'seed-a', 'seed-b'])(
    'holds every asset type, long and short, between the accounts (seed %s)',
    (seed) => {
      const positions = generateAccounts(seed, 'sandbox-user').flatMap((a) => valuePositions(seed, a, DAY));
      const kinds = new Set(
        positions.map((p) => `${p.assetType}:${String(p.instrument.type)}:${p.short ? 'short' : 'long'}`),
      );
      for (const expected of [
        'EQUITY:COMMON_STOCK:long',
        'EQUITY:COMMON_STOCK:short',
        'COLLECTIVE_INVESTMENT:EXCHANGE_TRADED_FUND:long',
        'MUTUAL_FUND:NO_LOAD_TAXABLE:long',
        'CASH_EQUIVALENT:MONEY_MARKET_FUND:long',
        'FIXED_INCOME:CERTIFICATE_OF_DEPOSIT:long',
        'OPTION:VANILLA:long',
        'OPTION:VANILLA:short',
      ]) {
        expect(kinds).toContain(expected);
      }
      expect(
        positions.some((p) => p.assetType === 'FIXED_INCOME' && p.instrument.type !== 'CERTIFICATE_OF_DEPOSIT'),
      ).toBe(true);
      // Fractional fund shares exercise decimal quantities.
      expect(positions.some((p) => p.quantityMilli % 1000 !== 0)).toBe(true);
    },
  );

  it('keeps margin-only positions (shorts) in the margin account', () => {
    for (const account of accounts) {
      const shorts = account.holdings.filter((h) => h.short);
      expect(shorts.length > 0).toBe(account.type === 'MARGIN');
    }
  });
});

describe('valuePositions', () => {
  const accounts = generateAccounts('dashtam-sandbox', 'sandbox-user');

  it('moves prices from day to day, and yesterday is the previous close', () => {
    const margin = accounts[1];
    const today = valuePositions('dashtam-sandbox', margin, DAY);
    const yesterday = valuePositions('dashtam-sandbox', margin, DAY - 1);
    expect(today.map((p) => p.previousCloseCents)).toEqual(yesterday.map((p) => p.priceCents));
    expect(today.map((p) => p.priceCents)).not.toEqual(yesterday.map((p) => p.priceCents));
    expect(valuePositions('dashtam-sandbox', margin, DAY)).toEqual(today);
  });

  it('values shorts negatively; options × 100; bonds per 100 of face', () => {
    for (const p of accounts.flatMap((a) => valuePositions('dashtam-sandbox', a, DAY))) {
      const units = p.quantityMilli / 1000;
      const multiplier = p.assetType === 'OPTION' ? 100 : p.assetType === 'FIXED_INCOME' ? 0.01 : 1;
      const expected = Math.round(units * p.priceCents * multiplier);
      expect(Math.abs(p.marketValueCents)).toBeLessThanOrEqual(expected + 1);
      expect(Math.abs(p.marketValueCents)).toBeGreaterThanOrEqual(expected - 1);
      expect(Math.sign(p.marketValueCents)).toBe(p.short ? -1 : 1);
    }
  });
});
