import { generateAccounts } from './data/account.generator';
import { valuePositions } from './data/positions';
import { toSchwabAccount } from './schwab-account.mapper';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const cents = (value: number): number => Math.round(value * 100);
const DAY = 20_600;

describe('toSchwabAccount', () => {
  const seed = 'dashtam-sandbox';
  const accounts = generateAccounts(seed, 'sandbox-user');
  const json = accounts.map((a) => toSchwabAccount(a, valuePositions(seed, a, DAY), true) as Json);

  it('liquidationValue = cashBalance + Σ marketValue (shorts negative), and the buckets add up', () => {
    for (const { securitiesAccount: account, aggregatedBalance } of json) {
      const b = account.currentBalances;
      const positions = account.positions.reduce((sum: number, p: Json) => sum + cents(p.marketValue), 0);
      expect(cents(b.liquidationValue)).toBe(cents(b.cashBalance) + positions);
      const buckets = [
        'longMarketValue',
        'shortMarketValue',
        'longOptionMarketValue',
        'shortOptionMarketValue',
        'mutualFundValue',
        'moneyMarketFund',
        'bondValue',
      ].reduce((sum, key) => sum + cents(b[key]), 0);
      expect(buckets).toBe(positions);
      expect(aggregatedBalance.liquidationValue).toBe(b.liquidationValue);
    }
  });

  it('margin accounts report availableFunds and buying power; cash accounts cashAvailableForTrading', () => {
    for (const { securitiesAccount: account } of json) {
      const b = account.currentBalances;
      if (account.type === 'MARGIN') {
        expect(b).toEqual(
          expect.objectContaining({ availableFunds: expect.any(Number), buyingPower: expect.any(Number) }),
        );
        expect(b).not.toHaveProperty('cashAvailableForTrading');
        expect(cents(b.availableFunds)).toBe(cents(b.liquidationValue) - cents(b.maintenanceRequirement));
        expect(b.shortMarketValue).toBeLessThan(0);
      } else {
        expect(b.cashAvailableForTrading).toBe(b.cashBalance);
        expect(b).not.toHaveProperty('availableFunds');
      }
    }
  });

  it('positions: long or short quantity, Schwab instrument fields per asset type', () => {
    const positions = json.flatMap((a) => a.securitiesAccount.positions as Json[]);
    for (const p of positions) {
      expect(p.longQuantity === 0 || p.shortQuantity === 0).toBe(true);
      expect(p.longQuantity + p.shortQuantity).toBeGreaterThan(0);
      if (p.shortQuantity > 0) expect(p.marketValue).toBeLessThan(0);
    }
    const option = positions.find((p) => p.instrument.assetType === 'OPTION')!;
    expect(option.instrument).toEqual(
      expect.objectContaining({
        symbol: expect.stringMatching(/^[A-Z ]{6}\d{6}[CP]\d{8}$/),
        putCall: expect.stringMatching(/^(PUT|CALL)$/),
        underlyingSymbol: expect.any(String),
        optionMultiplier: 100,
        type: 'VANILLA',
      }),
    );
    const bond = positions.find((p) => p.instrument.assetType === 'FIXED_INCOME')!;
    expect(bond.instrument).toEqual(expect.objectContaining({ maturityDate: expect.any(String), factor: 1 }));
    const etf = positions.find((p) => p.instrument.assetType === 'COLLECTIVE_INVESTMENT')!;
    expect(etf.instrument.type).toBe('EXCHANGE_TRADED_FUND');
    const mmf = positions.find((p) => p.instrument.assetType === 'CASH_EQUIVALENT')!;
    expect(mmf.instrument.type).toBe('MONEY_MARKET_FUND');
  });

  it('leaves positions out unless asked for', () => {
    const plain = toSchwabAccount(accounts[0], valuePositions(seed, accounts[0], DAY), false) as Json;
    expect(plain.securitiesAccount).not.toHaveProperty('positions');
  });
});
