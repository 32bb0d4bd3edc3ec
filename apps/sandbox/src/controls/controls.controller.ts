import { BadRequestException, Body, Controller, Get, HttpCode, Post, UsePipes, ValidationPipe } from '@nestjs/common';

import { AlpacaKeyStore } from '../alpaca/alpaca-key.store';
import { SandboxClock } from '../clock/sandbox-clock';
import { CallCounters, type CounterSnapshot } from '../faults/call-counters';
import { FaultInjector } from '../faults/fault-injector';
import { type ArmedFault, FAULT_MODE_ENDPOINTS } from '../faults/fault.types';
import { SandboxSettings, type RuntimeSettings } from '../settings/sandbox-settings';
import { SimplefinStore } from '../simplefin/simplefin.store';
import { GrantStore } from '../state/grant.store';
import { IssuedTokenLog } from '../state/issued-token.log';
import { TokenStore } from '../state/token.store';
import { FixtureStore } from '../trader/fixtures/fixture.store';
import { parseFixtures } from '../trader/fixtures/parse-fixtures';
import { AdvanceClockDto } from './dto/advance-clock.dto';
import { ArmFaultDto } from './dto/arm-fault.dto';
import { UpdateSettingsDto } from './dto/update-settings.dto';
import { type IssuedTokenView, issuedTokenView } from './issued-token.view';

/** Test-only controls. Mounted only when SANDBOX_CONTROLS=true; otherwise every path here is a 404. */
@Controller('__sandbox')
@UsePipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }))
export class ControlsController {
  constructor(
    private readonly clock: SandboxClock,
    private readonly settings: SandboxSettings,
    private readonly faults: FaultInjector,
    private readonly counters: CallCounters,
    private readonly grants: GrantStore,
    private readonly tokens: TokenStore,
    private readonly issued: IssuedTokenLog,
    private readonly fixtures: FixtureStore,
    private readonly alpacaKeys: AlpacaKeyStore,
    private readonly simplefin: SimplefinStore,
  ) {}

  @Post('faults')
  @HttpCode(200)
  armFault(@Body() dto: ArmFaultDto): { armed: ArmedFault; pending: ArmedFault[] } {
    const only = FAULT_MODE_ENDPOINTS[dto.mode];
    if (only && !only.includes(dto.endpoint)) {
      throw new BadRequestException(`mode ${dto.mode} applies only to endpoint ${only.join(' or ')}`);
    }
    const armed = this.faults.arm({ endpoint: dto.endpoint, mode: dto.mode, remaining: dto.count ?? 1, ms: dto.ms });
    return { armed, pending: this.faults.pending() };
  }

  @Get('faults')
  pendingFaults(): { pending: ArmedFault[] } {
    return { pending: this.faults.pending() };
  }

  @Post('clock')
  @HttpCode(200)
  advanceClock(@Body() dto: AdvanceClockDto): { now: string; offset_seconds: number } {
    this.clock.advance(dto.advance_seconds);
    return this.clockView();
  }

  @Get('clock')
  readClock(): { now: string; offset_seconds: number } {
    return this.clockView();
  }

  @Post('settings')
  @HttpCode(200)
  updateSettings(@Body() dto: UpdateSettingsDto): Record<string, unknown> {
    if (Object.values(dto).every((value) => value === undefined)) {
      throw new BadRequestException('send at least one setting');
    }
    return settingsView(
      this.settings.update({
        rotation: dto.rotation,
        reuseGraceSeconds: dto.reuse_grace_seconds,
        accessTtlSeconds: dto.access_ttl_seconds,
        refreshTtlSeconds: dto.refresh_ttl_seconds,
        codeTtlSeconds: dto.code_ttl_seconds,
        autoApprove: dto.auto_approve,
        user: dto.user,
        transactionsPerAccount: dto.transactions_per_account,
        redirectUris: dto.redirect_uris,
        accountKinds: dto.account_kinds,
        closedAccountAfterSeconds: dto.closed_account_after_seconds,
        accessTokenCallLimit: dto.access_token_call_limit,
      }),
    );
  }

  @Get('settings')
  readSettings(): Record<string, unknown> {
    return settingsView(this.settings.current);
  }

  @Get('counters')
  readCounters(): CounterSnapshot {
    return this.counters.snapshot();
  }

  @Get('issued-tokens')
  issuedTokens(): { tokens: IssuedTokenView[] } {
    const now = this.clock.now();
    return { tokens: this.issued.all().map((entry) => issuedTokenView(entry, now, this.grants, this.tokens)) };
  }

  /**
   * Serves exactly these raw Trader-API objects to the configured user (`settings.user`) instead of
   * the generated data, until reset.
   */
  @Post('fixtures')
  @HttpCode(204)
  replaceFixtures(@Body() body: unknown): void {
    const parsed = parseFixtures(body);
    if ('errors' in parsed) throw new BadRequestException(parsed.errors);
    this.fixtures.replace(this.settings.current.user, parsed.body);
  }

  /** Back to the configured state: no tokens, codes, Alpaca keys, faults, counts, fixtures or clock offset. */
  @Post('reset')
  @HttpCode(204)
  reset(): void {
    const parts = [
      this.clock,
      this.settings,
      this.faults,
      this.counters,
      this.grants,
      this.tokens,
      this.issued,
      this.fixtures,
      this.alpacaKeys,
      this.simplefin,
    ];
    for (const part of parts) part.reset();
  }

  private clockView(): { now: string; offset_seconds: number } {
    return { now: new Date(this.clock.now()).toISOString(), offset_seconds: this.clock.offsetSeconds };
  }
}

function settingsView(s: Readonly<RuntimeSettings>): Record<string, unknown> {
  return {
    rotation: s.rotation,
    reuse_grace_seconds: s.reuseGraceSeconds,
    access_ttl_seconds: s.accessTtlSeconds,
    refresh_ttl_seconds: s.refreshTtlSeconds,
    code_ttl_seconds: s.codeTtlSeconds,
    auto_approve: s.autoApprove,
    user: s.user,
    transactions_per_account: s.transactionsPerAccount,
    redirect_uris: s.redirectUris,
    account_kinds: s.accountKinds,
    closed_account_after_seconds: s.closedAccountAfterSeconds,
    access_token_call_limit: s.accessTokenCallLimit,
  };
}
