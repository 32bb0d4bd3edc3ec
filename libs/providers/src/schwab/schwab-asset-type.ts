import type { AssetType } from '../provider-data.types';
import type { SchwabInstrument } from './schwab.types';
import { code, identifier, label, LIMITS, record } from './wire-values';

/** What the mappers read of an instrument, already made safe. */
export interface InstrumentFacts {
  /** Schwab's assetType as sent (`UNKNOWN` when missing). */
  assetType: string;
  /** Schwab's per-asset sub-type (`instrument.type`), e.g. EXCHANGE_TRADED_FUND. */
  subType: string | null;
  symbol: string | null;
  cusip: string | null;
  description: string | null;
  unified: AssetType;
}

// NASDAQ gives money market funds five-letter symbols ending in XX (SWVXX, SNOXX, VMFXX).
const MONEY_MARKET_SYMBOL = /^[A-Z]{3}XX$/;
const MONEY_MARKET_WORDS = /\bMONEY\s+(?:MARKET|MKT|FUNDS?|FD)\b/i;
const ETF_WORDS = /\bETF\b/i;

function isMoneyMarket(subType: string, symbol: string | null, description: string | null): boolean {
  return (
    subType === 'MONEY_MARKET_FUND' ||
    (symbol !== null && MONEY_MARKET_SYMBOL.test(symbol)) ||
    (description !== null && MONEY_MARKET_WORDS.test(description))
  );
}

/**
 * Schwab's asset type (and sub-type) → the unified asset type. The decisions are documented in
 * docs/financial-data.md ("Mapping from Schwab").
 */
export function unifiedAssetType(
  assetType: string,
  subType: string | null,
  symbol: string | null,
  description: string | null,
): AssetType {
  const sub = code(subType);
  switch (code(assetType)) {
    case 'EQUITY':
      return sub === 'EXCHANGE_TRADED_FUND' ? 'etf' : 'equity';
    case 'OPTION':
      return 'option';
    case 'MUTUAL_FUND':
      return isMoneyMarket(sub, symbol, description) ? 'money_market' : 'mutual_fund';
    case 'CASH_EQUIVALENT':
      // SWEEP_VEHICLE and SAVINGS are cash held at the bank; MONEY_MARKET_FUND is a fund.
      return sub === 'SWEEP_VEHICLE' || sub === 'SAVINGS' || !isMoneyMarket(sub, symbol, description)
        ? 'cash_equivalent'
        : 'money_market';
    case 'FIXED_INCOME':
      return 'fixed_income';
    case 'COLLECTIVE_INVESTMENT':
      if (sub === 'EXCHANGE_TRADED_FUND') return 'etf';
      // Closed-end funds and unit investment trusts are pooled funds that are not ETFs.
      if (sub === 'CLOSED_END_FUND' || sub === 'UNIT_INVESTMENT_TRUST') return 'mutual_fund';
      if (sub === '' && description !== null && ETF_WORDS.test(description)) return 'etf';
      return 'other';
    case 'CURRENCY':
      return 'cash_equivalent';
    default:
      // INDEX, FUTURE, FOREX, PRODUCT and anything new: kept, as `other`, with the raw type.
      return 'other';
  }
}

export function instrumentFacts(value: unknown): InstrumentFacts {
  const instrument = record<SchwabInstrument>(value) ?? {};
  const assetType = identifier(instrument.assetType, 32) ?? 'UNKNOWN';
  const subType = identifier(instrument.type, 31);
  const symbol = identifier(instrument.symbol, LIMITS.symbol);
  const description = label(instrument.description);
  return {
    assetType,
    subType,
    symbol,
    cusip: identifier(instrument.cusip, LIMITS.symbol),
    description,
    unified: unifiedAssetType(assetType, subType, symbol, description),
  };
}

/** The raw label kept with a position: the asset type, and its sub-type when Schwab sent one. */
export function rawAssetLabel(facts: InstrumentFacts): string {
  return facts.subType === null ? facts.assetType : `${facts.assetType}/${facts.subType}`;
}
