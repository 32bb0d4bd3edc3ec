/** Schwab's `assetType` values the Sandbox serves (positions and transfer items). */
export type InstrumentAssetType =
  'EQUITY' | 'COLLECTIVE_INVESTMENT' | 'MUTUAL_FUND' | 'CASH_EQUIVALENT' | 'FIXED_INCOME' | 'OPTION';

/** A security the Sandbox can hold or trade. Options are derived from these (see options.ts). */
export interface Instrument {
  symbol: string;
  cusip: string;
  description: string;
  assetType: Exclude<InstrumentAssetType, 'OPTION'>;
  /** Schwab's instrument sub-type (COMMON_STOCK, EXCHANGE_TRADED_FUND, MONEY_MARKET_FUND, …). */
  type: string;
  instrumentId: number;
  /**
   * Illustrative price in cents: per share, or per 100 of face value for FIXED_INCOME (bonds are
   * quoted in percent of par, like Schwab does).
   */
  basePriceCents: number;
  paysDividends: boolean;
  /** FIXED_INCOME only. */
  maturityDate?: string;
  couponRate?: number;
}

type Row = [string, string, string, Instrument['assetType'], string, number, boolean];

const ROWS: Row[] = [
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
  ['SWPPX', '808509855', 'SCHWAB S&P 500 INDEX FUND', 'MUTUAL_FUND', 'NO_LOAD_TAXABLE', 8_912, true],
  ['SWTSX', '808509756', 'SCHWAB TOTAL STOCK MARKET INDEX FUND', 'MUTUAL_FUND', 'NO_LOAD_TAXABLE', 9_845, true],
  ['SWAGX', '808517809', 'SCHWAB US AGGREGATE BOND INDEX FUND', 'MUTUAL_FUND', 'NO_LOAD_TAXABLE', 905, true],
  ['SWVXX', '808515878', 'SCHWAB VALUE ADVANTAGE MONEY FUND', 'CASH_EQUIVALENT', 'MONEY_MARKET_FUND', 100, true],
  ['SNSXX', '808515506', 'SCHWAB US TREASURY MONEY FUND', 'CASH_EQUIVALENT', 'MONEY_MARKET_FUND', 100, true],
];

// Bonds are identified by CUSIP (Schwab uses it as the symbol); price is percent of par, in cents.
const BONDS: Array<[string, string, string, number, string, number]> = [
  ['91282CHT1', 'US TREASURY NOTE 3.875% 08/15/2033', 'US_TREASURY_NOTE', 9_612, '2033-08-15', 3.875],
  ['912810TV0', 'US TREASURY BOND 4.75% 11/15/2043', 'US_TREASURY_BOND', 10_134, '2043-11-15', 4.75],
  ['037833DX5', 'APPLE INC 2.2% 09/11/2029', 'CORPORATE_BOND', 9_287, '2029-09-11', 2.2],
  ['06051XKQ4', 'BANK OF AMERICA NA CD 4.1% 03/15/2028', 'CERTIFICATE_OF_DEPOSIT', 10_008, '2028-03-15', 4.1],
];

/** The Sandbox's securities universe. Prices are illustrative, not market data. */
export const INSTRUMENTS: readonly Instrument[] = [
  ...ROWS.map(([symbol, cusip, description, assetType, type, basePriceCents, paysDividends], index) => ({
    symbol,
    cusip,
    description,
    assetType,
    type,
    instrumentId: 1_000_001 + index,
    basePriceCents,
    paysDividends,
  })),
  ...BONDS.map(([cusip, description, type, basePriceCents, maturity, couponRate], index) => ({
    symbol: cusip,
    cusip,
    description,
    assetType: 'FIXED_INCOME' as const,
    type,
    instrumentId: 2_000_001 + index,
    basePriceCents,
    paysDividends: true,
    maturityDate: `${maturity}T05:00:00.000+0000`,
    couponRate,
  })),
];

export const instrumentsOf = (assetType: Instrument['assetType'], type?: string): Instrument[] =>
  INSTRUMENTS.filter((i) => i.assetType === assetType && (type === undefined || i.type === type));

export const EQUITIES = instrumentsOf('EQUITY');
export const ETFS = instrumentsOf('COLLECTIVE_INVESTMENT');
export const MUTUAL_FUNDS = instrumentsOf('MUTUAL_FUND');
export const MONEY_MARKET_FUNDS = instrumentsOf('CASH_EQUIVALENT');
export const BONDS_AND_NOTES = INSTRUMENTS.filter((i) => i.assetType === 'FIXED_INCOME' && !i.type.includes('DEPOSIT'));
export const CDS = instrumentsOf('FIXED_INCOME', 'CERTIFICATE_OF_DEPOSIT');

export const USD_CURRENCY = {
  assetType: 'CURRENCY',
  status: 'ACTIVE',
  symbol: 'CURRENCY_USD',
  description: 'USD currency',
  instrumentId: 1,
  closingPrice: 0,
} as const;
