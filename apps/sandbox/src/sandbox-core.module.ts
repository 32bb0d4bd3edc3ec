import { type DynamicModule, Global, Module } from '@nestjs/common';

import { AlpacaKeyStore } from './alpaca/alpaca-key.store';
import { SandboxClock } from './clock/sandbox-clock';
import { CallCounters } from './faults/call-counters';
import { FaultInjector } from './faults/fault-injector';
import type { SandboxOptions } from './sandbox-options';
import { SANDBOX_OPTIONS } from './sandbox.tokens';
import { SandboxSettings } from './settings/sandbox-settings';
import { GrantStore } from './state/grant.store';
import { IssuedTokenLog } from './state/issued-token.log';
import { TokenStore } from './state/token.store';
import { SimplefinStore } from './simplefin/simplefin.store';
import { FixtureStore } from './trader/fixtures/fixture.store';

const SHARED = [
  SandboxClock,
  SandboxSettings,
  GrantStore,
  TokenStore,
  IssuedTokenLog,
  FaultInjector,
  CallCounters,
  FixtureStore,
  AlpacaKeyStore,
  SimplefinStore,
];

/** One instance's state: options, clock, settings, stores, faults, counters and fixtures, shared by every feature. */
@Global()
@Module({})
export class SandboxCoreModule {
  static forRoot(options: SandboxOptions): DynamicModule {
    return {
      module: SandboxCoreModule,
      providers: [{ provide: SANDBOX_OPTIONS, useValue: options }, ...SHARED],
      exports: [SANDBOX_OPTIONS, ...SHARED],
    };
  }
}
