export type InstrumentAssetType = 'EQUITY' | 'COLLECTIVE_INVESTMENT' | 'MUTUAL_FUND' | 'CASH_EQUIVALENT';

export interface Instrument {
  symbol: string;
  cusip: string;
  description: string;
  assetType: InstrumentAssetType;
  /** Schwab's instrument sub-type. */
  type: string;
  instrumentId: number;
  basePriceCents: number;
  paysDividends: boolean;
}

/** The Sandbox's securities universe. Prices are illustrative, not market data. */
export const INSTRUMENTS: readonly Instrument[] = [
  ['AAPL', '037833100', 'APPLE INC', 'EQUITY', 'COMMON_STOCK', 19_550, true],
  ['MSFT', '594918104', 'MICROSOFT CORP', 'EQUITY', 'COMMON_STOCK', 41_520, true],
  ['AMZN', '023135106', 'AMAZON.COM INC', 'EQUITY', 'COMMON_STOCK', 18_630, false],
  ['GOOGL', '02079K305', 'ALPHABET INC CLASS A', 'EQUITY', 'COMMON_STOCK', 17_240, true],
  ['NVDA', '67066G104', 'NVIDIA CORP', 'EQUITY', 'COMMON_STOCK', 12_880, true],
  ['JNJ', '478160104', 'JOHNSON & JOHNSON', 'EQUITY', 'COMMON_STOCK', 15_610, true],
  ['JPM', '46625H100', 'JPMORGAN CHASE & CO', 'EQUITY', 'COMMON_STOCK', 24_370, true],
  ['KO', '191216100', 'COCA-COLA CO', 'EQUITY', 'COMMON_STOCK', 6_245, true],
  ['PG', '742718109', 'PROCTER & GAMBLE CO', 'EQUITY', 'COMMON_STOCK', 16_790, true],
  ['XOM', '30231G102', 'EXXON MOBIL CORP', 'EQUITY', 'COMMON_STOCK', 11_020, true],
  ['SPY', '78462F103', 'SPDR S&P 500 ETF', 'COLLECTIVE_INVESTMENT', 'EXCHANGE_TRADED_FUND', 56_410, true],
  [
    'VTI',
    '922908769',
    'VANGUARD TOTAL STOCK MARKET ETF',
    'COLLECTIVE_INVESTMENT',
    'EXCHANGE_TRADED_FUND',
    27_730,
    true,
  ],
  ['QQQ', '46090E103', 'INVESCO QQQ TRUST', 'COLLECTIVE_INVESTMENT', 'EXCHANGE_TRADED_FUND', 48_150, true],
  ['SCHD', '808524797', 'SCHWAB US DIVIDEND EQUITY ETF', 'COLLECTIVE_INVESTMENT', 'EXCHANGE_TRADED_FUND', 2_745, true],
  ['BND', '921937835', 'VANGUARD TOTAL BOND MARKET ETF', 'COLLECTIVE_INVESTMENT', 'EXCHANGE_TRADED_FUND', 7_290, true],
  ['SWPPX', '808509855', 'SCHWAB S&P 500 INDEX FUND', 'MUTUAL_FUND', 'OPEN_END_NON_TAXABLE', 8_912, true],
  ['SWTSX', '808509756', 'SCHWAB TOTAL STOCK MARKET INDEX FUND', 'MUTUAL_FUND', 'OPEN_END_NON_TAXABLE', 9_845, true],
  ['SWVXX', '808515878', 'SCHWAB VALUE ADVANTAGE MONEY FUND', 'CASH_EQUIVALENT', 'MONEY_MARKET_FUND', 100, true],
].map(([symbol, cusip, description, assetType, type, basePriceCents, paysDividends], index) => ({
  symbol: symbol as string,
  cusip: cusip as string,
  description: description as string,
  assetType: assetType as InstrumentAssetType,
  type: type as string,
  instrumentId: 1_000_001 + index,
  basePriceCents: basePriceCents as number,
  paysDividends: paysDividends as boolean,
}));

/** What trades are made of: everything but the money-market fund, which moves with cash. */
export const TRADABLE = INSTRUMENTS.filter((i) => i.assetType !== 'CASH_EQUIVALENT');

export const USD_CURRENCY = {
  assetType: 'CURRENCY',
  status: 'ACTIVE',
  symbol: 'CURRENCY_USD',
  description: 'USD currency',
  instrumentId: 1,
  closingPrice: 0,
} as const;
