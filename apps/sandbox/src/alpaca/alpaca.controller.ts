import { Controller, Get, Headers, Param, Query } from '@nestjs/common';

import { FaultPoint } from '../faults/fault-point.decorator';
import { AlpacaAuthVerifier } from './alpaca-auth.verifier';
import { parseActivityQuery } from './alpaca-activity.query';
import { AlpacaDataService } from './alpaca-data.service';

type RequestHeaders = Record<string, string | string[] | undefined>;

/** The subset of Alpaca's Trading API v2 Dashtam reads: the account, its positions and its activities. */
@Controller('v2')
export class AlpacaController {
  constructor(
    private readonly auth: AlpacaAuthVerifier,
    private readonly data: AlpacaDataService,
  ) {}

  @Get('account')
  @FaultPoint('alpaca_account')
  account(@Headers() headers: RequestHeaders): Record<string, unknown> {
    return this.data.account(this.auth.keyFor(headers));
  }

  @Get('positions')
  @FaultPoint('alpaca_positions')
  positions(@Headers() headers: RequestHeaders): Record<string, unknown>[] {
    return this.data.positions(this.auth.keyFor(headers));
  }

  @Get('account/activities')
  @FaultPoint('alpaca_activities')
  activities(@Query() query: unknown, @Headers() headers: RequestHeaders): Record<string, unknown>[] {
    const key = this.auth.keyFor(headers);
    return this.data.activities(key, parseActivityQuery(query));
  }

  @Get('account/activities/:activityType')
  @FaultPoint('alpaca_activities')
  activitiesOfType(
    @Param('activityType') activityType: string,
    @Query() query: unknown,
    @Headers() headers: RequestHeaders,
  ): Record<string, unknown>[] {
    const key = this.auth.keyFor(headers);
    return this.data.activities(key, parseActivityQuery(query, activityType));
  }
}
