import { toAccountNumbers, toAccounts, toTokenSet, toTransactions } from './schwab.mapper';

const AS_OF = new Date('2026-01-05T10:00:00Z');

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

describe('accounts', () => {
  const numbers = toAccountNumbers([
    { accountNumber: '12345678', hashValue: 'HASH-A' },
    { accountNumber: '87654321', hashValue: 'HASH-B' },
    { accountNumber: 42 },
  ]);

  it('keeps account numbers with their hash values', () => {
    expect(numbers).toEqual([
      { accountNumber: '12345678', accountId: 'HASH-A' },
      { accountNumber: '87654321', accountId: 'HASH-B' },
    ]);
  });

  it('maps accounts with balances and positions, joined to their hash values', () => {
    const accounts = toAccounts(
      [
        {
          securitiesAccount: {
            type: 'MARGIN',
            accountNumber: '12345678',
            positions: [
              {
                longQuantity: 10,
                shortQuantity: 0,
                averagePrice: 187.123,
                marketValue: 1950.4,
                instrument: { symbol: 'AAPL', description: 'Apple Inc', assetType: 'EQUITY' },
              },
              {
                longQuantity: 0,
                shortQuantity: 2.5,
                averagePrice: 10.1,
                marketValue: -30,
                instrument: { symbol: 'XYZ' },
              },
              { longQuantity: 1, instrument: {} },
            ],
            currentBalances: { liquidationValue: 10500.25, availableFunds: 4000.1 },
          },
        },
        {
          securitiesAccount: {
            type: 'CASH',
            accountNumber: '87654321',
            currentBalances: { liquidationValue: 0.3, cashAvailableForTrading: 0.1 },
          },
        },
        { securitiesAccount: { type: 'CASH' } },
      ],
      numbers,
      AS_OF,
    );
    expect(accounts).toEqual([
      {
        accountId: 'HASH-A',
        mask: '5678',
        name: 'Margin ...5678',
        accountType: 'margin',
        institutionAccountType: 'MARGIN',
        currency: 'USD',
        currentBalance: '10500.25',
        availableBalance: '4000.1',
        cashBalance: null,
        asOf: AS_OF,
        metadata: { schwab_type: 'MARGIN' },
        positions: [
          {
            providerPositionId: 'EQUITY:AAPL',
            symbol: 'AAPL',
            description: 'Apple Inc',
            assetType: 'equity',
            rawAssetType: 'EQUITY',
            quantity: '10',
            averagePrice: '187.123',
            marketValue: '1950.4',
            costBasis: '1871.23',
          },
          {
            providerPositionId: 'UNKNOWN:XYZ',
            symbol: 'XYZ',
            description: null,
            assetType: 'other',
            rawAssetType: 'UNKNOWN',
            quantity: '-2.5',
            averagePrice: '10.1',
            marketValue: '-30',
            costBasis: '-25.25',
          },
        ],
      },
      expect.objectContaining({
        accountId: 'HASH-B',
        mask: '4321',
        accountType: 'cash',
        currentBalance: '0.3',
        availableBalance: '0.1',
        positions: [],
      }),
    ]);
  });
});

describe('toTransactions', () => {
  it('maps a trade with its security leg, fees and status', () => {
    const [trade] = toTransactions([
      {
        activityId: 98765,
        time: '2026-01-02T15:30:00+0000',
        tradeDate: '2026-01-02T00:00:00.000Z',
        description: 'BUY AAPL',
        type: 'TRADE',
        status: 'VALID',
        netAmount: -1872.53,
        transferItems: [
          {
            instrument: { symbol: 'CURRENCY_USD', assetType: 'CURRENCY' },
            amount: 0,
            cost: -0.65,
            feeType: 'COMMISSION',
          },
          { instrument: { symbol: 'CURRENCY_USD', assetType: 'CURRENCY' }, amount: 0, cost: -0.65, feeType: 'SEC_FEE' },
          { instrument: { symbol: 'AAPL', assetType: 'EQUITY' }, amount: 10, price: 187.123, cost: -1871.23 },
        ],
      },
    ]);
    expect(trade).toEqual({
      providerTransactionId: '98765',
      date: '2026-01-02',
      settlementDate: null,
      description: 'BUY AAPL',
      type: 'buy',
      rawType: 'TRADE',
      details: { transfer_items: expect.any(Array) },
      amount: '-1872.53',
      currency: 'USD',
      symbol: 'AAPL',
      quantity: '10',
      price: '187.123',
      fees: '1.3',
      status: 'posted',
    });
  });

  it('maps cash movements and statuses, and drops entries without id or date', () => {
    const mapped = toTransactions([
      { activityId: '1', time: '2026-01-03T09:00:00Z', type: 'ACH_RECEIPT', status: 'PENDING', netAmount: 500 },
      { activityId: 2, time: '2026-01-03T09:00:00Z', type: 'DIVIDEND_OR_INTEREST', status: 'CANCELED', netAmount: 1.5 },
      { time: '2026-01-03T09:00:00Z', netAmount: 1 },
      { activityId: 3, time: 'yesterday' },
    ]);
    expect(mapped).toEqual([
      expect.objectContaining({
        providerTransactionId: '1',
        type: 'deposit',
        rawType: 'ACH_RECEIPT',
        status: 'pending',
        amount: '500',
        symbol: null,
        fees: '0',
      }),
      expect.objectContaining({
        providerTransactionId: '2',
        type: 'dividend',
        status: 'cancelled',
        amount: '1.5',
      }),
    ]);
  });
});
