// The sync's own repositories, for writing financial data as a sync would without an institution's pages
// (the bench's ledger user: SPEC §9's 10,000 transactions and 200 positions in seconds).
export {
  AccountsRepository,
  BalanceSnapshotsRepository,
  PositionsRepository,
  TransactionsRepository,
} from '@dashtam/api-app';
