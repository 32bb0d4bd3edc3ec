import { Controller, Get, Headers } from '@nestjs/common';

import { FaultPoint } from '../faults/fault-point.decorator';
import { AccessTokenVerifier } from './access-token.verifier';
import { TraderDataService } from './trader-data.service';

/**
 * `GET /trader/v1/userPreference`: Schwab's per-account nicknames. Its Trader API has no other field
 * that tells an IRA from a plain brokerage account (both are type CASH), so a client may read it.
 */
@Controller('trader/v1/userPreference')
export class UserPreferenceController {
  constructor(
    private readonly verifier: AccessTokenVerifier,
    private readonly data: TraderDataService,
  ) {}

  @Get()
  @FaultPoint('accounts')
  preferences(@Headers('authorization') authorization?: string): Record<string, unknown> {
    const user = this.verifier.userFor(authorization);
    return {
      accounts: this.data.accounts(user).map((served, index) => ({
        accountNumber: served.accountNumber,
        primaryAccount: index === 0,
        type: 'BROKERAGE',
        nickName: served.source === 'generated' ? served.account.profile.nickName : 'Brokerage',
        accountColor: index % 2 === 0 ? 'Green' : 'Blue',
        displayAcctId: `...${served.accountNumber.slice(-3)}`,
        autoPositionEffect: false,
      })),
      streamerInfo: [],
      offers: [{ level2Permissions: false, mktDataPermission: 'NP' }],
    };
  }
}
