import { Module } from '@nestjs/common';

import { PortfolioController } from './portfolio.controller';
import { PortfolioRepository } from './portfolio.repository';

/** The portfolio summary: a read-only view over the accounts module's tables, computed in SQL. */
@Module({
  controllers: [PortfolioController],
  providers: [PortfolioRepository],
})
export class PortfolioModule {}
