import { Controller, Get, Header, Headers, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

import { SandboxClock } from '../clock/sandbox-clock';
import { FaultPoint } from '../faults/fault-point.decorator';
import { simplefinAccountSet, type AccountsQuery } from './simplefin-data';
import { SimplefinError } from './simplefin.error';
import { SIMPLEFIN_DAILY_LIMIT, SimplefinStore } from './simplefin.store';

/** Where the Sandbox Bridge lives on this server; claim URLs and Access URLs point here. */
export const SIMPLEFIN_ROOT = 'simplefin';

/**
 * A SimpleFIN Bridge (https://www.simplefin.org/protocol.html): a setup token's claim URL answers an
 * Access URL once (403 after), and the Access URL's Basic credentials read `GET /accounts` and
 * `GET /info`. Like the Bridge it refuses an Access URL past SIMPLEFIN_DAILY_LIMIT reads a day.
 */
@Controller(SIMPLEFIN_ROOT)
export class SimplefinController {
  constructor(
    private readonly store: SimplefinStore,
    private readonly clock: SandboxClock,
  ) {}

  @Post('claim/:id')
  @HttpCode(200)
  @FaultPoint('simplefin_claim')
  @Header('content-type', 'text/plain; charset=utf-8')
  claim(@Param('id') id: string, @Req() request: FastifyRequest): string {
    const credentials = this.store.claim(id);
    if (!credentials) throw new SimplefinError(403, 'Forbidden');
    const { username, password } = credentials;
    return `${request.protocol}://${username}:${password}@${request.host}/${SIMPLEFIN_ROOT}`;
  }

  @Get('info')
  @FaultPoint('simplefin_info')
  info(): { versions: string[] } {
    return { versions: ['1.0'] };
  }

  @Get('accounts')
  @FaultPoint('simplefin_accounts')
  accounts(
    @Query() query: Record<string, unknown>,
    @Req() request: FastifyRequest,
    @Headers('authorization') authorization?: string,
  ): { errors: string[]; accounts: unknown[] } {
    const username = this.authenticate(authorization);
    if (!this.store.countAccountsCall(username)) {
      throw new SimplefinError(429, `More than ${SIMPLEFIN_DAILY_LIMIT} requests today`, { 'retry-after': '3600' });
    }
    const org = {
      domain: 'sandbox.dashtam.local',
      name: 'Sandbox Bank',
      'sfin-url': `${request.protocol}://${request.host}/${SIMPLEFIN_ROOT}`,
    };
    const nowSeconds = Math.floor(this.clock.now() / 1000);
    return { errors: this.store.currentErrors(), accounts: simplefinAccountSet(nowSeconds, readQuery(query), org) };
  }

  private authenticate(authorization: string | undefined): string {
    const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(authorization ?? '');
    const decoded = match ? Buffer.from(match[1], 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    const username = colon < 0 ? null : this.store.authenticate(decoded.slice(0, colon), decoded.slice(colon + 1));
    if (username === null) throw new SimplefinError(403, 'Forbidden');
    return username;
  }
}

function readQuery(query: Record<string, unknown>): AccountsQuery {
  const unix = (value: unknown): number | null => {
    if (typeof value !== 'string' || !/^\d{1,12}$/.test(value)) return null;
    return Number(value);
  };
  const accounts = query.account;
  return {
    startDate: unix(query['start-date']),
    endDate: unix(query['end-date']),
    pending: query.pending === '1',
    balancesOnly: query['balances-only'] === '1',
    accounts: (Array.isArray(accounts) ? accounts : accounts === undefined ? [] : [accounts]).filter(
      (value): value is string => typeof value === 'string',
    ),
  };
}
