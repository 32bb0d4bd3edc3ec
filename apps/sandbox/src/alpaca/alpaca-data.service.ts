import { Inject, Injectable } from '@nestjs/common';

import { SandboxClock } from '../clock/sandbox-clock';
import type { SandboxOptions } from '../sandbox-options';
import { SANDBOX_OPTIONS } from '../sandbox.tokens';
import type { AlpacaKey } from './alpaca-key.store';
import { activityPage, type AlpacaActivityQuery } from './alpaca-activity.query';
import { alpacaAccountJson, alpacaPositionsJson, alpacaProfile } from './data/alpaca-account.generator';
import { alpacaActivities } from './data/alpaca-activity.generator';

/** A key pair's account, positions and activities: pure functions of the seed, the key and the clock. */
@Injectable()
export class AlpacaDataService {
  constructor(
    @Inject(SANDBOX_OPTIONS) private readonly options: SandboxOptions,
    private readonly clock: SandboxClock,
  ) {}

  account(key: AlpacaKey): Record<string, unknown> {
    return alpacaAccountJson(this.options.seed, alpacaProfile(this.options.seed, key), this.clock.now());
  }

  positions(key: AlpacaKey): Record<string, unknown>[] {
    return alpacaPositionsJson(this.options.seed, alpacaProfile(this.options.seed, key), this.clock.now());
  }

  activities(key: AlpacaKey, query: AlpacaActivityQuery): Record<string, unknown>[] {
    const margin = alpacaProfile(this.options.seed, key).multiplier > 1;
    return activityPage(alpacaActivities(this.options.seed, key, margin, this.clock.now()), query);
  }
}
