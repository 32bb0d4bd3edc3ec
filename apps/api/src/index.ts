// What the api offers to code that embeds it: the test harness in libs/testing (`@dashtam/api-app`)
// builds the app exactly as main.ts does, and the bench seeds its financial data through the sync's
// repositories (re-exported there). Nothing else imports this file.
export { AppModule } from './app.module';
export { PasswordHasherService } from './auth/password/password-hasher.service';
export type { Page } from './common/pagination/page-query.dto';
export { configureApp, createAdapter } from './configure-app';
export { REFRESH_JOB, SCAN_SCHEDULER_ID, TOKEN_REFRESH_QUEUE } from './queues/token-refresh/token-refresh.jobs';
export { SYNC_QUEUE, syncJobId } from './queues/sync/sync.jobs';
export { IS_PUBLIC } from './common/decorators/public.decorator';
export { API_PREFIX } from './configure-app';
export { AccountsRepository } from './accounts/accounts.repository';
export { BalanceSnapshotsRepository } from './accounts/balance-snapshots.repository';
export { PositionsRepository } from './accounts/positions.repository';
export { TransactionsRepository } from './transactions/transactions.repository';
