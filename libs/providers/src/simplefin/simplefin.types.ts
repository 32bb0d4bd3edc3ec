/**
 * SimpleFIN protocol shapes (https://www.simplefin.org/protocol.html) as they arrive: every field
 * optional and `unknown`, so the mapper checks each value it reads.
 */

export interface SimplefinAccountSet {
  errors?: unknown;
  accounts?: unknown;
}

export interface SimplefinOrg {
  domain?: unknown;
  name?: unknown;
  'sfin-url'?: unknown;
  url?: unknown;
  id?: unknown;
}

export interface SimplefinAccount {
  org?: unknown;
  id?: unknown;
  name?: unknown;
  currency?: unknown;
  balance?: unknown;
  'available-balance'?: unknown;
  'balance-date'?: unknown;
  transactions?: unknown;
  holdings?: unknown;
}

export interface SimplefinTransaction {
  id?: unknown;
  posted?: unknown;
  amount?: unknown;
  description?: unknown;
  payee?: unknown;
  memo?: unknown;
  transacted_at?: unknown;
  pending?: unknown;
}

/** SimpleFIN Bridge's holdings (an extension of the protocol). */
export interface SimplefinHolding {
  id?: unknown;
  symbol?: unknown;
  description?: unknown;
  shares?: unknown;
  market_value?: unknown;
  cost_basis?: unknown;
  purchase_price?: unknown;
  currency?: unknown;
}
