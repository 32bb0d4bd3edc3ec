import { Module } from '@nestjs/common';

import { AccountsModule } from '../accounts/accounts.module';
import { TransactionsModule } from '../transactions/transactions.module';
import { FinancialDataWriter } from './engine/financial-data.writer';
import { SyncRunner } from './engine/sync-runner.service';
import { ProviderCallBudget } from './provider-call-budget';
import { ProviderDataService } from './provider-data.service';
import { SyncLauncher } from './sync-launcher.service';
import { SyncsRepository } from './syncs.repository';

/**
 * The sync engine: the `syncs` table, the runner that reads an institution and writes the financial
 * tables, and the launcher. The SyncDispatcher it launches through comes from the global module the
 * app chose at start-up (the job queue with Redis, this process without: see QueuesModule).
 */
@Module({
  imports: [AccountsModule, TransactionsModule],
  providers: [SyncsRepository, FinancialDataWriter, SyncRunner, SyncLauncher, ProviderDataService, ProviderCallBudget],
  exports: [SyncsRepository, SyncRunner, SyncLauncher, ProviderDataService, ProviderCallBudget],
})
export class SyncEngineModule {}
