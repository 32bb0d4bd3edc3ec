import type { TransactionResponseDto } from './dto/transaction-response.dto';
import type { TransactionView } from './transaction.views';

// Dates come formatted by PostgreSQL and decimals as it stores them: passed through untouched.
export function toTransactionResponse(view: TransactionView): TransactionResponseDto {
  return {
    id: view.id,
    account_id: view.accountId,
    provider_transaction_id: view.providerTransactionId,
    date: view.date,
    settlement_date: view.settlementDate,
    description: view.description,
    type: view.type,
    raw_type: view.rawType,
    status: view.status,
    amount: view.amount,
    currency: view.currency,
    symbol: view.symbol,
    quantity: view.quantity,
    price: view.price,
    fees: view.fees,
  };
}
