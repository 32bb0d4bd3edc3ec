import type { TransactionStatus, TransactionType } from '@dashtam/database';

/** A transaction as the read API shows it; money and quantities are PostgreSQL's decimal strings. */
export interface TransactionView {
  id: string;
  accountId: string;
  providerTransactionId: string;
  /** `YYYY-MM-DD`, formatted by PostgreSQL (a JS Date would shift with the server's time zone). */
  date: string;
  settlementDate: string | null;
  description: string | null;
  type: TransactionType;
  rawType: string;
  status: TransactionStatus;
  amount: string;
  currency: string;
  symbol: string | null;
  quantity: string | null;
  price: string | null;
  fees: string;
}

export const TRANSACTION_VIEW_COLUMNS = `
  t.id, t.account_id AS "accountId", t.provider_transaction_id AS "providerTransactionId",
  to_char(t.date, 'YYYY-MM-DD') AS date, to_char(t.settlement_date, 'YYYY-MM-DD') AS "settlementDate",
  t.description, t.type, t.raw_type AS "rawType", t.status, t.amount, t.currency, t.symbol, t.quantity,
  t.price, t.fees`;

/** The list's filters, normalised (absent = not filtered); a cursor is bound to exactly these. */
export interface TransactionFilters {
  accountId: string | null;
  providerId: string | null;
  from: string | null;
  to: string | null;
  type: TransactionType | null;
  /** Upper-cased: symbols match case-insensitively. */
  symbol: string | null;
}

/** Where a page ends in the list's order (date desc, id desc): the next page starts strictly after it. */
export interface TransactionPosition {
  date: string;
  id: string;
}
