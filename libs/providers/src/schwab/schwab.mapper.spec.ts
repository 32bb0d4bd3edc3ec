import { ACCOUNT_TYPES, ASSET_TYPES, TRANSACTION_STATUSES, TRANSACTION_TYPES } from '@dashtam/database';

import accountNumbersFixture from '../../test/fixtures/schwab/account-numbers.json';
import accountsFixture from '../../test/fixtures/schwab/accounts.json';
import transactionsFixture from '../../test/fixtures/schwab/transactions.json';
import { fitsNumeric } from '../decimal';
import type { ProviderAccount, ProviderTransaction } from '../provider-data.types';
import { toAccountNicknames, toAccountNumbers, toAccounts, toTokenSet, toTransactions } from './schwab.mapper';
import { SCHWAB_TRANSACTION_TYPES } from './schwab.types';

const AS_OF = new Date('2026-01-05T10:00:00Z');
const FULL_NUMBERS = accountNumbersFixture.map((n) => n.accountNumber);
const numbers = toAccountNumbers(accountNumbersFixture);
const mapAccounts = (body: unknown = accountsFixture) => toAccounts(body, numbers, AS_OF);
const byId = (transactions: ProviderTransaction[]) => new Map(transactions.map((t) => [t.providerTransactionId, t]));

describe('toTokenSet', () => {
  it("maps Schwab's token response", () => {
    expect(
      toTokenSet({
        expires_in: 1800,
        token_type: 'Bearer',
        scope: 'api',
        refresh_token: 'r',
        access_token: 'a',
        id_token: 'i',
      }),
    ).toEqual({
      accessToken: 'a',
      refreshToken: 'r',
      idToken: 'i',
      tokenType: 'Bearer',
      expiresInSeconds: 1800,
      scope: 'api',
      refreshTokenExpiresInSeconds: null,
    });
  });

  it('accepts a response without refresh token (keep the stored one) and refuses one without access token', () => {
    expect(toTokenSet({ access_token: 'a', expires_in: '1800' })).toMatchObject({
      refreshToken: null,
      tokenType: 'Bearer',
      expiresInSeconds: 1800,
    });
    expect(toTokenSet({ refresh_token: 'r' })).toBeNull();
    expect(toTokenSet({ access_token: '' })).toBeNull();
    expect(toTokenSet('a')).toBeNull();
  });
});

describe('account numbers', () => {
  it('keeps account numbers with their hash values, and drops entries missing either', () => {
    expect(numbers.map((n) => n.accountId)).toEqual(accountNumbersFixture.map((n) => n.hashValue));
    expect(
      toAccountNumbers([
        { accountNumber: 42 },
        { hashValue: 'H' },
        null,
        [],
        { accountNumber: 12345678, hashValue: 'H2' },
      ]),
    ).toEqual([{ accountNumber: '12345678', accountId: 'H2' }]);
    expect(toAccountNumbers({ accountNumber: '1', hashValue: 'H' })).toEqual([]);
  });
});

describe('accounts (GET /accounts?fields=positions)', () => {
  const [margin, cash, exotic] = mapAccounts();

  it('maps the margin account: id by hash, mask, readable name, balances, Schwab facts in metadata', () => {
    expect({ ...margin, positions: margin.positions.length }).toEqual({
      accountId: accountNumbersFixture[0].hashValue,
      mask: '1234',
      name: 'Margin ...1234',
      accountType: 'margin',
      institutionAccountType: 'MARGIN',
      currency: 'USD',
      currentBalance: '37764.42',
      availableBalance: '4100.2',
      cashBalance: '5230.55',
      positions: 7,
      asOf: AS_OF,
      metadata: {
        schwab_type: 'MARGIN',
        round_trips: 0,
        is_day_trader: false,
        is_closing_only_restricted: false,
        pfcb_flag: false,
        balances: expect.objectContaining({
          buyingPower: '8200.4',
          moneyMarketFund: '1250.37',
          cashBalance: '5230.55',
        }),
      },
    });
  });

  it('maps the cash account: available = cashAvailableForTrading, cash = cashBalance (money funds stay positions)', () => {
    expect(cash).toMatchObject({
      accountId: accountNumbersFixture[1].hashValue,
      mask: '5678',
      name: 'Cash ...5678',
      accountType: 'cash',
      currentBalance: '44296.47',
      availableBalance: '1250',
      cashBalance: '1500',
    });
  });

  it('cash plus the positions is the liquidation value, so nothing is counted twice', () => {
    for (const account of [margin, cash, exotic]) {
      const cents = (v: string | null) => Math.round(Number(v) * 100);
      const positions = account.positions.reduce((sum, p) => sum + cents(p.marketValue), 0);
      expect(cents(account.cashBalance) + positions).toBe(cents(account.currentBalance));
    }
  });

  it.each([
    ['CASH', 'cash', 'Cash ...4321'],
    ['MARGIN', 'margin', 'Margin ...4321'],
    ['margin', 'margin', 'Margin ...4321'],
    ['PCRA', 'other', 'Brokerage ...4321'],
    [undefined, 'other', 'Brokerage ...4321'],
    [['CASH'], 'other', 'Brokerage ...4321'],
  ])('account type %p → %s, named %p; the raw type is kept', (type, accountType, name) => {
    const [account] = toAccounts([{ securitiesAccount: { type, accountNumber: '87654321' } }], [], AS_OF);
    expect(account).toMatchObject({ accountType, name, accountId: null });
    expect(account.metadata.schwab_type).toBe(typeof type === 'string' ? type : 'UNKNOWN');
    expect(account.institutionAccountType).toBe(typeof type === 'string' ? type : 'UNKNOWN');
  });

  it.each([
    ['12345678', '5678'],
    ['XXXX-1234', '1234'],
    ['12-3', '123'],
    [87654321, '4321'],
    ['ABCDEFGH', null],
  ])('the mask of account number %p is %p (digits only, at most four)', (accountNumber, mask) => {
    const [account] = toAccounts([{ securitiesAccount: { type: 'CASH', accountNumber } }], [], AS_OF);
    expect(account.mask).toBe(mask);
    expect(account.name).toBe(mask ? `Cash ...${mask}` : 'Cash account');
  });

  it('never puts a full account number anywhere in the output', () => {
    const output = JSON.stringify(mapAccounts());
    for (const number of FULL_NUMBERS) expect(output).not.toContain(number);
  });

  it('accepts the single-account shape and skips accounts without a number; duplicates once', () => {
    const one = toAccounts(accountsFixture[1], numbers, AS_OF);
    expect(one.map((a) => a.mask)).toEqual(['5678']);
    const twice = toAccounts(
      [accountsFixture[1], accountsFixture[1], { securitiesAccount: { type: 'CASH' } }],
      numbers,
      AS_OF,
    );
    expect(twice.map((a) => a.mask)).toEqual(['5678']);
  });
});

describe('account kinds from userPreference nicknames (IRAs and individual accounts are all CASH)', () => {
  const cashAccount = accountsFixture[1];
  const number = cashAccount.securitiesAccount.accountNumber;
  const kindOf = (nickName: unknown) =>
    toAccounts(
      [cashAccount],
      toAccountNumbers(accountNumbersFixture),
      AS_OF,
      toAccountNicknames({
        accounts: [{ accountNumber: number, nickName, type: 'BROKERAGE' }],
      }),
    )[0];

  it.each([
    ['Roth Contributory IRA', 'roth_ira'],
    ['Contributory IRA', 'ira'],
    ['Rollover IRA', 'ira'],
    ['Individual 401(k)', '401k'],
    ['Joint Tenant', 'joint'],
    ['Individual', 'individual'],
    ['Vacation fund', 'cash'],
  ])('%s → %s', (nickName, type) => {
    expect(kindOf(nickName).accountType).toBe(type);
  });

  it('names the account by its nickname and last four digits, unless the nickname repeats the number', () => {
    expect(kindOf('Contributory IRA').name).toBe('Contributory IRA ...5678');
    expect(kindOf(`IRA ${number}`).name).toBe('Cash ...5678');
    expect(JSON.stringify(kindOf(`IRA ${number}`))).not.toContain(number);
  });

  it('keeps a margin account margin whatever its nickname, and ignores unreadable preferences', () => {
    const margin = accountsFixture[0];
    const nicknames = toAccountNicknames({
      accounts: [{ accountNumber: margin.securitiesAccount.accountNumber, nickName: 'Roth IRA' }],
    });
    expect(toAccounts([margin], [], AS_OF, nicknames)[0].accountType).toBe('margin');
    for (const body of [null, 'x', { accounts: 'x' }, { accounts: [null, { nickName: 5 }] }]) {
      expect(toAccountNicknames(body).size).toBe(0);
    }
    expect(kindOf(null).accountType).toBe('cash');
  });
});

describe('positions: every Schwab asset type', () => {
  const positions = mapAccounts().flatMap((a) => a.positions);
  const find = (id: string) => positions.find((p) => p.providerPositionId === id);

  it.each([
    // [providerPositionId, asset type, raw label, quantity, average price, market value, cost basis]
    ['EQUITY:AAPL', 'equity', 'EQUITY/COMMON_STOCK', '100', '150.25', '19550', '15025'],
    ['EQUITY:AAPL:short', 'equity', 'EQUITY/COMMON_STOCK', '-20', '201.5', '-3910', '-4030'],
    ['OPTION:AAPL  260116C00200000', 'option', 'OPTION/VANILLA', '2', '12.35', '2840', '2470'],
    [
      'COLLECTIVE_INVESTMENT:SPY',
      'etf',
      'COLLECTIVE_INVESTMENT/EXCHANGE_TRADED_FUND',
      '15',
      '480.1',
      '8461.5',
      '7201.5',
    ],
    [
      'COLLECTIVE_INVESTMENT:PDI',
      'mutual_fund',
      'COLLECTIVE_INVESTMENT/CLOSED_END_FUND',
      '200',
      '18.2',
      '3820',
      '3640',
    ],
    [
      'COLLECTIVE_INVESTMENT:FGHVSX',
      'mutual_fund',
      'COLLECTIVE_INVESTMENT/UNIT_INVESTMENT_TRUST',
      '50',
      '10',
      '522',
      '500',
    ],
    [
      'CASH_EQUIVALENT:SNOXX',
      'money_market',
      'CASH_EQUIVALENT/MONEY_MARKET_FUND',
      '1250.37',
      '1',
      '1250.37',
      '1250.37',
    ],
    ['MUTUAL_FUND:SWPPX', 'mutual_fund', 'MUTUAL_FUND', '312.448', '71.02', '27845.37', '22190.05696'],
    ['MUTUAL_FUND:SWVXX', 'money_market', 'MUTUAL_FUND', '4210.5', '1', '4210.5', '4210.5'],
    ['FIXED_INCOME:912797KX4', 'fixed_income', 'FIXED_INCOME', '10000', '98.75', '9925.4', '9875'],
    [
      'CASH_EQUIVALENT:SCHWAB_BANK_SWEEP',
      'cash_equivalent',
      'CASH_EQUIVALENT/SWEEP_VEHICLE',
      '815.2',
      '1',
      '815.2',
      '815.2',
    ],
    ['CASH_EQUIVALENT:SAVINGS1', 'cash_equivalent', 'CASH_EQUIVALENT/SAVINGS', '300', '1', '300', '300'],
    ['INDEX:$SPX', 'other', 'INDEX/BROAD_BASED', '1', '0', '0', '0'],
    ['CURRENCY:CURRENCY_USD', 'cash_equivalent', 'CURRENCY', '25', '1', '25', '25'],
    ['COLLECTIVE_INVESTMENT:SPXIDX', 'other', 'COLLECTIVE_INVESTMENT/INDEX', '3', '10', '31.5', '30'],
    ['COLLECTIVE_INVESTMENT:BBU', 'other', 'COLLECTIVE_INVESTMENT/UNITS', '10', '20', '215', '200'],
    ['FUTURE:/ESH26', 'other', 'FUTURE/STANDARD', '1', '5900.25', '0', '5900.25'],
    ['FOREX:EUR/USD', 'other', 'FOREX/STANDARD', '1000', '1.085', '1091.2', '1085'],
    ['PRODUCT:PRODUCTX', 'other', 'PRODUCT/TBD', '1', '1', '1', '1'],
  ])('%s → %s', (id, assetType, rawAssetType, quantity, averagePrice, marketValue, costBasis) => {
    expect(find(id)).toMatchObject({ assetType, rawAssetType, quantity, averagePrice, marketValue, costBasis });
  });

  it('covers every asset type Schwab documents', () => {
    const raw = new Set(positions.map((p) => p.rawAssetType.split('/')[0]));
    for (const type of [
      'EQUITY',
      'OPTION',
      'INDEX',
      'MUTUAL_FUND',
      'CASH_EQUIVALENT',
      'FIXED_INCOME',
      'CURRENCY',
      'COLLECTIVE_INVESTMENT',
      'FUTURE',
      'FOREX',
      'PRODUCT',
    ]) {
      expect(raw).toContain(type);
    }
  });

  it('keeps ids unique per account (same symbol long and short, an option and its underlying)', () => {
    for (const account of mapAccounts()) {
      const ids = account.positions.map((p) => p.providerPositionId);
      expect(new Set(ids).size).toBe(ids.length);
    }
    expect(find('EQUITY:AAPL')?.symbol).toBe('AAPL');
    expect(find('EQUITY:AAPL:short')?.symbol).toBe('AAPL');
  });

  it('keeps ids stable across syncs: the same holding gets the same id whatever the order or price', () => {
    const body = structuredClone(accountsFixture);
    const account = body[0].securitiesAccount;
    account.positions.reverse();
    for (const position of account.positions) position.marketValue = position.marketValue * 2;
    const idsOf = (accounts: ProviderAccount[]) =>
      new Map(accounts[0].positions.map((p) => [`${p.symbol}|${p.quantity}`, p.providerPositionId]));
    expect(idsOf(mapAccounts(body))).toEqual(idsOf(mapAccounts()));
  });

  it('falls back to the CUSIP, then the instrument id, for a position without a symbol; a repeated id gets #2', () => {
    const [account] = toAccounts(
      [
        {
          securitiesAccount: {
            type: 'CASH',
            accountNumber: '1',
            positions: [
              { longQuantity: 1, instrument: { assetType: 'EQUITY', cusip: '037833100' } },
              { longQuantity: 1, instrument: { assetType: 'EQUITY', instrumentId: 1001 } },
              { longQuantity: 1, instrument: { assetType: 'EQUITY' } },
              { longQuantity: 2, instrument: { assetType: 'EQUITY', symbol: 'KO' } },
              { longQuantity: 3, instrument: { assetType: 'EQUITY', symbol: 'KO' } },
            ],
          },
        },
      ],
      [],
      AS_OF,
    );
    expect(account.positions.map((p) => p.providerPositionId)).toEqual([
      'EQUITY:037833100',
      'EQUITY:1001',
      'EQUITY:KO',
      'EQUITY:KO#2',
    ]);
  });

  it('option cost basis uses the contract multiplier; a short uses averageShortPrice when averagePrice is missing', () => {
    const [account] = toAccounts(
      [
        {
          securitiesAccount: {
            type: 'MARGIN',
            accountNumber: '1',
            positions: [
              {
                longQuantity: 1,
                averagePrice: 2,
                instrument: { assetType: 'OPTION', symbol: 'X', optionMultiplier: 10 },
              },
              { shortQuantity: 3, averageShortPrice: 4, instrument: { assetType: 'OPTION', symbol: 'Y' } },
            ],
          },
        },
      ],
      [],
      AS_OF,
    );
    expect(account.positions.map((p) => [p.providerPositionId, p.quantity, p.averagePrice, p.costBasis])).toEqual([
      ['OPTION:X', '1', '2', '20'],
      ['OPTION:Y:short', '-3', '4', '-1200'],
    ]);
  });
});

describe('transactions (GET /accounts/{hash}/transactions): every Schwab type', () => {
  const mapped = byId(toTransactions(transactionsFixture));

  it('keeps every row of the fixture', () => {
    expect(mapped.size).toBe(transactionsFixture.length);
  });

  it('the fixture holds every Schwab transaction type, and a type Schwab does not document', () => {
    const types = new Set(transactionsFixture.map((t) => t.type));
    for (const type of SCHWAB_TRANSACTION_TYPES) expect(types).toContain(type);
    expect(types).toContain('CORPORATE_ACTION');
  });

  it.each([
    // [activityId, Schwab type, unified type, amount, symbol, quantity, price, fees, status]
    ['95000000101', 'TRADE', 'buy', '-1871.2', 'AAPL', '10', '187.12', '0', 'posted'],
    ['95000000102', 'TRADE', 'sell', '2075.93', 'MSFT', '-5', '415.2', '0.07', 'posted'],
    ['95000000103', 'TRADE', 'sell', '2484.92', 'TSLA', '-10', '248.5', '0.08', 'posted'], // short sale (OPENING)
    ['95000000104', 'TRADE', 'buy', '-2400', 'TSLA', '10', '240', '0', 'posted'], // buy to cover (CLOSING)
    ['95000000105', 'TRADE', 'buy', '-2471.34', 'AAPL  260116C00200000', '2', '12.35', '1.34', 'posted'],
    ['95000000106', 'TRADE', 'buy', '-1770', 'SPY', '3', '590', '0', 'posted'],
    ['95000000107', 'TRADE', 'buy', '-418.75', 'MSFT', '1', '418.75', '0', 'pending'],
    ['95000000201', 'RECEIVE_AND_DELIVER', 'transfer', '0', 'VTI', '50', null, '0', 'posted'],
    ['95000000202', 'RECEIVE_AND_DELIVER', 'transfer', '0', 'AAPL  251219P00180000', '-1', null, '0', 'posted'],
    ['95000000301', 'DIVIDEND_OR_INTEREST', 'dividend', '25', 'AAPL', null, null, '0', 'posted'],
    ['95000000302', 'DIVIDEND_OR_INTEREST', 'interest', '1.23', null, null, null, '0', 'posted'],
    ['95000000303', 'DIVIDEND_OR_INTEREST', 'interest', '14.07', 'SWVXX', null, null, '0', 'posted'], // money fund
    ['95000000304', 'DIVIDEND_OR_INTEREST', 'dividend', '31.4', 'IEFA', null, null, '0', 'posted'], // "INT'L" + DIVIDEND
    ['95000000305', 'DIVIDEND_OR_INTEREST', 'tax', '-3.75', 'TSM', null, null, '0', 'posted'],
    ['95000000306', 'DIVIDEND_OR_INTEREST', 'fee', '-0.5', 'TSM', null, null, '0', 'posted'],
    ['95000000307', 'DIVIDEND_OR_INTEREST', 'interest', '-18.42', null, null, null, '0', 'posted'],
    ['95000000308', 'DIVIDEND_OR_INTEREST', 'interest', '125', '13063DGA0', null, null, '0', 'posted'], // TAX-EXEMPT
    ['95000000309', 'DIVIDEND_OR_INTEREST', 'dividend', '88.1', 'SWPPX', null, null, '0', 'posted'],
    ['95000000401', 'ACH_RECEIPT', 'deposit', '2500', null, null, null, '0', 'posted'],
    ['95000000402', 'ACH_DISBURSEMENT', 'withdrawal', '-1000', null, null, null, '0', 'posted'],
    ['95000000403', 'CASH_RECEIPT', 'deposit', '750', null, null, null, '0', 'posted'],
    ['95000000404', 'CASH_DISBURSEMENT', 'withdrawal', '-300', null, null, null, '0', 'posted'],
    ['95000000405', 'CASH_DISBURSEMENT', 'fee', '-25', null, null, null, '0', 'posted'],
    ['95000000406', 'ELECTRONIC_FUND', 'deposit', '1200', null, null, null, '0', 'posted'],
    ['95000000407', 'ELECTRONIC_FUND', 'withdrawal', '-800', null, null, null, '0', 'posted'],
    ['95000000408', 'WIRE_IN', 'deposit', '50000', null, null, null, '0', 'posted'],
    ['95000000409', 'WIRE_OUT', 'withdrawal', '-20000', null, null, null, '0', 'posted'],
    ['95000000501', 'JOURNAL', 'journal', '-500', null, null, null, '0', 'posted'],
    ['95000000502', 'JOURNAL', 'tax', '-200', null, null, null, '0', 'posted'],
    ['95000000503', 'JOURNAL', 'fee', '-15', null, null, null, '15', 'posted'], // only a fee leg
    ['95000000601', 'MEMORANDUM', 'other', '0', null, null, null, '0', 'posted'],
    ['95000000602', 'MARGIN_CALL', 'other', '0', null, null, null, '0', 'posted'],
    ['95000000603', 'SMA_ADJUSTMENT', 'other', '0', null, null, null, '0', 'posted'],
    ['95000000701', 'MONEY_MARKET', 'buy', '-1000', 'SWVXX', '1000', '1', '0', 'posted'],
    ['95000000702', 'MONEY_MARKET', 'sell', '500', 'SWVXX', '-500', '1', '0', 'posted'],
    ['95000000801', 'TRADE', 'buy', '-1950', 'AAPL', '10', '195', '0', 'cancelled'], // INVALID
    ['95000000802', 'TRADE', 'buy', '-1960', 'AAPL', '10', '196', '0', 'posted'], // UNKNOWN status
    ['95000000803', 'CORPORATE_ACTION', 'other', '0', 'AAPL', null, null, '0', 'posted'],
  ])('%s %s → %s', (id, rawType, type, amount, symbol, quantity, price, fees, status) => {
    expect(mapped.get(id)).toMatchObject({
      rawType,
      type,
      amount,
      symbol,
      quantity,
      price,
      fees,
      status,
      currency: 'USD',
    });
  });

  it.each([
    // Calendar dates: New York trade dates; a midnight date-time is the date as written.
    ['95000000101', '2026-01-02', '2026-01-05'],
    ['95000000106', '2026-01-05', '2026-01-07'], // 01:30 UTC on the 6th is 20:30 ET on the 5th
    ['95000000202', '2025-12-19', '2025-12-20'], // tradeDate wins over time
    ['95000000301', '2026-02-13', '2026-02-13'],
  ])('%s is dated %s, settles %s', (id, date, settlementDate) => {
    expect(mapped.get(id)).toMatchObject({ date, settlementDate });
  });

  it('keeps transfer items, fee breakdown and Schwab facts in details — never the user or the account number', () => {
    const trade = mapped.get('95000000105')!;
    expect(trade.details).toEqual({
      schwab_status: 'VALID',
      activity_type: 'EXECUTION',
      sub_account: 'MARGIN',
      order_id: '1098000000105',
      position_id: '2900105',
      transfer_items: [
        {
          instrument: { assetType: 'CURRENCY', symbol: 'CURRENCY_USD', description: 'USD currency' },
          amount: '0',
          cost: '-1.3',
          feeType: 'COMMISSION',
        },
        {
          instrument: { assetType: 'CURRENCY', symbol: 'CURRENCY_USD', description: 'USD currency' },
          amount: '0',
          cost: '-0.04',
          feeType: 'OPT_REG_FEE',
        },
        {
          instrument: {
            assetType: 'OPTION',
            type: 'VANILLA',
            symbol: 'AAPL  260116C00200000',
            cusip: '0AAPL.AG60200000',
            description: 'APPLE INC 01/16/2026 $200 Call',
            putCall: 'CALL',
            underlyingSymbol: 'AAPL',
            strikePrice: '200',
            expirationDate: '2026-01-16',
          },
          amount: '2',
          cost: '-2470',
          price: '12.35',
          positionEffect: 'OPENING',
        },
      ],
    });
    const output = JSON.stringify([...mapped.values()]);
    for (const number of FULL_NUMBERS) expect(output).not.toContain(number);
    expect(output).not.toMatch(/jdoe|JANE|cdDomainId/);
  });

  it('scrubs account numbers from descriptions, keeping dates and amounts', () => {
    expect(mapped.get('95000000501')?.description).toBe('JOURNAL FROM ...1234 TO ...5678');
    expect(mapped.get('95000000302')?.description).toBe('SCHWAB1 INT 01/28-02/26');
    const [one] = toTransactions([
      {
        activityId: 1,
        time: '2026-01-02T10:00:00Z',
        accountNumber: '29871234',
        description: 'TO 2.987.1234 ON 2026-01-15 $50000',
      },
    ]);
    expect(one.description).toBe('TO ...1234 ON 2026-01-15 $50000');
    // Long descriptions are cut to 1000 characters; padding cannot push the content out.
    const [long] = toTransactions([
      { activityId: 2, time: '2026-01-02', description: `A ${'x'.repeat(3995)} 12345678` },
    ]);
    expect(long.description).toBe(`A ${'x'.repeat(998)}`);
    const [padded] = toTransactions([
      { activityId: 3, time: '2026-01-02', description: `${' '.repeat(5000)}INTEREST` },
    ]);
    expect(padded.description).toBe('INTEREST');
  });
});

describe('transaction rules beyond the fixture', () => {
  const one = (fields: Record<string, unknown>) =>
    toTransactions([{ activityId: 7, time: '2026-03-02T15:00:00+0000', ...fields }])[0];
  const leg = (fields: Record<string, unknown>) => ({ instrument: { assetType: 'EQUITY', symbol: 'KO' }, ...fields });

  it.each([
    ['the leg quantity', [leg({ amount: 5, cost: 300 })], -300, 'buy'], // quantity sign wins over the rest
    ['the leg cost when the quantity is 0', [leg({ amount: 0, cost: -300 })], 300, 'buy'],
    ['the leg cost when the quantity is missing', [leg({ cost: 300 })], null, 'sell'],
    ['the net amount when the leg says nothing', [leg({})], -300, 'buy'],
    ['the net amount without any leg', [], 300, 'sell'],
    ['the description as a last resort', [], null, 'sell', 'SOLD 5 KO'],
    ['nothing', [], 0, 'other', 'TRADE'],
  ])('TRADE direction from %s', (_what, transferItems, netAmount, type, description = undefined) => {
    expect(one({ type: 'TRADE', transferItems, netAmount, description }).type).toBe(type);
  });

  it('a sell with an unsigned quantity still has a negative quantity', () => {
    const sell = one({ type: 'TRADE', netAmount: 300, transferItems: [leg({ amount: 0, cost: 300 })] });
    expect(sell).toMatchObject({ type: 'sell', quantity: '0' });
    const unsigned = one({ type: 'TRADE', netAmount: 300, transferItems: [leg({ cost: 300 }), leg({ amount: 5 })] });
    expect(unsigned).toMatchObject({ type: 'buy', quantity: '5' });
  });

  it.each([
    [1, 'deposit'],
    [-1, 'withdrawal'],
    [0, 'transfer'],
    [null, 'transfer'],
  ])('ELECTRONIC_FUND with net %p → %s', (netAmount, type) => {
    expect(one({ type: 'ELECTRONIC_FUND', netAmount }).type).toBe(type);
  });

  it.each([
    ['VALID', 'posted'],
    ['PENDING', 'pending'],
    ['pending', 'pending'],
    ['CANCELED', 'cancelled'],
    ['CANCELLED', 'cancelled'],
    ['INVALID', 'cancelled'],
    ['UNKNOWN', 'posted'],
    [undefined, 'posted'],
    [42, 'posted'],
  ])('status %p → %s', (status, expected) => {
    expect(one({ type: 'JOURNAL', status }).status).toBe(expected);
  });

  it.each([
    ['DIVIDEND_OR_INTEREST', 'NON-QUALIFIED DIV', 'dividend'],
    ['DIVIDEND_OR_INTEREST', 'BANK INTEREST', 'interest'],
    ['DIVIDEND_OR_INTEREST', 'BACKUP WITHHOLDING', 'tax'],
    ['DIVIDEND_OR_INTEREST', 'TAX FREE DIVIDEND', 'dividend'],
    ['DIVIDEND_OR_INTEREST', '', 'interest'], // no words, no instrument
    ['CASH_RECEIPT', 'FEE REBATE', 'fee'],
    ['ACH_DISBURSEMENT', 'ACH TO PAY TAXES', 'withdrawal'], // only cash entries' words are read
    ['MEMORANDUM', 'TAX', 'other'],
    ['SOMETHING_NEW', 'DIVIDEND', 'other'],
    ['constructor', '', 'other'],
  ])('%s "%s" → %s', (type, description, expected) => {
    expect(one({ type, description, netAmount: 1 }).type).toBe(expected);
  });

  it('sums fees as non-negative, from the cost or, when it is 0, the amount', () => {
    const fees = one({
      type: 'TRADE',
      transferItems: [
        { feeType: 'COMMISSION', cost: -0.65, amount: 0 },
        { feeType: 'SEC_FEE', cost: 0, amount: 0.02 },
        { feeType: 'R_FEE', cost: 0.01 },
        leg({ amount: 1, cost: -10 }),
      ],
    }).fees;
    expect(fees).toBe('0.68');
  });

  it('dates: tradeDate, else time, else settlementDate; a row without any date or id is skipped', () => {
    expect(toTransactions([{ activityId: 1, tradeDate: 'soon', time: '2026-03-02T03:00:00+0000' }])[0].date).toBe(
      '2026-03-01',
    );
    expect(toTransactions([{ activityId: 1, settlementDate: '2026-03-04' }])[0]).toMatchObject({
      date: '2026-03-04',
      settlementDate: '2026-03-04',
    });
    expect(
      toTransactions([{ activityId: 1 }, { time: '2026-03-02T03:00:00Z' }, { activityId: 1.5, time: '2026-03-02' }]),
    ).toEqual([]);
  });

  it('the same activity twice is one row (the last one)', () => {
    const rows = toTransactions([
      { activityId: 9, time: '2026-03-02', status: 'PENDING', netAmount: 1 },
      { activityId: '9', time: '2026-03-02', status: 'VALID', netAmount: 1 },
    ]);
    expect(rows).toEqual([expect.objectContaining({ providerTransactionId: '9', status: 'posted' })]);
  });
});

// -------------------------------------------------------------------------------------------------
// Hostile shapes: every field of every fixture replaced, one at a time, by each of these values.

const HOSTILE: unknown[] = [
  null,
  undefined,
  true,
  0,
  -1,
  1.5,
  1e300,
  Number.NaN,
  Infinity,
  '',
  ' ',
  'abc',
  '12.5',
  '-0.0001',
  '1e999999',
  '\u0000',
  'x\ud800y',
  'A'.repeat(5000),
  [],
  [null],
  [{}],
  {},
  { length: 3 },
  '2026-02-30',
  '9999-12-31T23:59:59+0000',
];

function* paths(value: unknown, prefix: (string | number)[] = []): Generator<(string | number)[]> {
  if (typeof value !== 'object' || value === null) return;
  for (const [key, child] of Object.entries(value)) {
    const path = [...prefix, Array.isArray(value) ? Number(key) : key];
    yield path;
    yield* paths(child, path);
  }
}

function replaced<T>(body: T, path: (string | number)[], value: unknown): T {
  const copy = structuredClone(body);
  let node = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1]] = value;
  return copy;
}

const DECIMAL = /^-?\d+(\.\d+)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const UNSAFE_TEXT = /[\p{Cc}\p{Cs}]/u;

function* strings(value: unknown): Generator<string> {
  if (typeof value === 'string') yield value;
  else if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      yield key;
      yield* strings(child);
    }
  }
}

const storable = (value: unknown): boolean => [...strings(value)].every((text) => !UNSAFE_TEXT.test(text));
const money = (v: string | null) => v === null || (DECIMAL.test(v) && fitsNumeric(v, 19, 4));
const qty = (v: string | null) => v === null || (DECIMAL.test(v) && fitsNumeric(v, 19, 8));
const oneOf = (list: readonly string[], v: string) => list.includes(v);
const leaksNumber = (value: unknown) => {
  const json = JSON.stringify(value);
  return FULL_NUMBERS.some((number) => json.includes(number));
};

/**
 * What every mapped account must satisfy to be stored as is (types in the CHECK lists, values that
 * fit their columns, text PostgreSQL accepts, no full account number). Returns what is violated.
 */
function accountProblems(accounts: ProviderAccount[]): string[] {
  const problems: string[] = [];
  const fail = (what: string) => problems.push(what);
  for (const a of accounts) {
    if (!oneOf(ACCOUNT_TYPES, a.accountType)) fail(`account type ${a.accountType}`);
    if (a.mask !== null && !/^\d{1,4}$/.test(a.mask)) fail(`mask ${a.mask}`);
    if (a.name.length > 200) fail('name length');
    if (![a.currentBalance, a.availableBalance, a.cashBalance].every(money)) fail('balance');
    const ids = a.positions.map((p) => p.providerPositionId);
    if (new Set(ids).size !== ids.length) fail(`duplicate position ids ${ids.join(',')}`);
    for (const p of a.positions) {
      if (!oneOf(ASSET_TYPES, p.assetType)) fail(`asset type ${p.assetType}`);
      if (p.providerPositionId.length > 160 || p.symbol.length > 64 || p.rawAssetType.length > 64) fail('length');
      if (!qty(p.quantity) || p.quantity === null || !qty(p.averagePrice)) fail('quantity or price');
      if (!money(p.marketValue) || !money(p.costBasis)) fail('market value or cost basis');
    }
    if (!storable(a)) fail('text PostgreSQL refuses');
  }
  if (leaksNumber(accounts)) fail('full account number');
  return problems;
}

function transactionProblems(transactions: ProviderTransaction[]): string[] {
  const problems: string[] = [];
  const fail = (what: string) => problems.push(what);
  for (const t of transactions) {
    if (!oneOf(TRANSACTION_TYPES, t.type)) fail(`type ${t.type}`);
    if (!oneOf(TRANSACTION_STATUSES, t.status)) fail(`status ${t.status}`);
    if (!DATE.test(t.date) || (t.settlementDate !== null && !DATE.test(t.settlementDate))) fail('date');
    if (!money(t.amount) || !money(t.fees) || t.fees.startsWith('-')) fail('amount or fees');
    if (!qty(t.quantity) || !qty(t.price)) fail('quantity or price');
    if (t.providerTransactionId.length > 128 || t.rawType.length > 64) fail('length');
    if (t.symbol !== null && t.symbol.length > 64) fail('symbol length');
    if (!storable(t)) fail('text PostgreSQL refuses');
  }
  if (leaksNumber(transactions)) fail('full account number');
  return problems;
}

describe('hostile shapes: map what is sound, never throw', () => {
  it.each([null, undefined, 'x', 42, {}, [], [null, 1, 'a', [], {}], { securitiesAccount: [] }])(
    'a whole body of %p',
    (body) => {
      expect(accountProblems(toAccounts(body, numbers, AS_OF))).toEqual([]);
      expect(transactionProblems(toTransactions(body))).toEqual([]);
      expect(toAccountNumbers(body)).toEqual([]);
    },
  );

  it('accounts: every field of every account replaced by every hostile value', () => {
    const problems: string[] = [];
    let runs = 0;
    for (const entry of accountsFixture) {
      for (const path of paths(entry)) {
        for (const value of HOSTILE) {
          const mapped = toAccounts([replaced(entry, path, value)], numbers, AS_OF);
          for (const problem of accountProblems(mapped))
            problems.push(`${path.join('.')} = ${String(value)}: ${problem}`);
          runs += 1;
        }
      }
    }
    expect(problems.slice(0, 20)).toEqual([]);
    expect(runs).toBeGreaterThan(5000);
  });

  it('transactions: every field replaced by every hostile value; only an unusable id or date drops a row', () => {
    const identity = new Set(['activityId', 'tradeDate', 'time', 'settlementDate']);
    const problems: string[] = [];
    let runs = 0;
    for (const entry of transactionsFixture) {
      for (const path of paths(entry)) {
        for (const value of HOSTILE) {
          const mapped = toTransactions([replaced(entry, path, value)]);
          const where = `${entry.activityId} ${path.join('.')} = ${String(value).slice(0, 20)}`;
          for (const problem of transactionProblems(mapped)) problems.push(`${where}: ${problem}`);
          if (mapped.length !== 1 && !(path.length === 1 && identity.has(String(path[0])))) {
            problems.push(`${where}: row dropped`);
          }
          runs += 1;
        }
      }
    }
    expect(problems.slice(0, 20)).toEqual([]);
    expect(runs).toBeGreaterThan(20000);
  });
});
