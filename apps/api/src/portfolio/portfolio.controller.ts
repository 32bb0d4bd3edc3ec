import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';

import { ApiProblem } from '../common/decorators/api-problem.decorator';
import { type AuthUser, CurrentUser } from '../common/decorators/current-user.decorator';
import { PortfolioSummaryResponseDto } from './dto/portfolio-summary-response.dto';
import { toPortfolioSummaryResponse } from './portfolio.mapper';
import { PortfolioRepository } from './portfolio.repository';

// A single read with nothing to decide: the controller calls the repository without a service.
@ApiTags('portfolio')
@ApiProblem(401, 'Missing, invalid or expired access token')
@Controller('portfolio')
export class PortfolioController {
  constructor(private readonly portfolio: PortfolioRepository) {}

  @Get('summary')
  @ApiOperation({
    summary: 'Totals over your active accounts: value, cash, holdings, per account, per asset type',
    description:
      'total_value = cash_value + holdings_value = Σ accounts[].value = Σ by_asset_type[].value, exactly. ' +
      'See the field descriptions for how cash, holdings and change_since_previous are defined.',
  })
  @ApiResponse({ status: 200, type: PortfolioSummaryResponseDto })
  async summary(@CurrentUser() caller: AuthUser): Promise<PortfolioSummaryResponseDto> {
    return toPortfolioSummaryResponse(await this.portfolio.summary(caller.id));
  }
}
