import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { mergeMap, NEVER, type Observable, throwError, timer } from 'rxjs';

import { AlpacaError } from '../alpaca/alpaca.error';
import { SandboxClock } from '../clock/sandbox-clock';
import { OAuthError } from '../errors/oauth.error';
import { PageError } from '../errors/page.error';
import type { SandboxHttpError } from '../errors/sandbox-http.error';
import { ServiceError } from '../errors/service.error';
import { SimplefinError } from '../simplefin/simplefin.error';
import { TokenStore } from '../state/token.store';
import { bearerToken } from '../trader/access-token.verifier';
import { CallCounters } from './call-counters';
import { FaultInjector } from './fault-injector';
import { FAULT_POINT } from './fault-point.decorator';
import { type ArmedFault, type CountedEndpoint, DEFAULT_LATENCY_MS, type FaultEndpoint } from './fault.types';

/**
 * Counts every call to a marked endpoint, then applies the next armed fault before the handler runs
 * (5xx, 429, latency, timeout, expire_token) or marks the request for the handler (invalid_grant) or
 * for the onSend hook that drops the finished answer with the connection (reset_after_commit).
 */
@Injectable()
export class FaultInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly faults: FaultInjector,
    private readonly counters: CallCounters,
    private readonly tokens: TokenStore,
    private readonly clock: SandboxClock,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const endpoint = this.reflector.get<CountedEndpoint | undefined>(FAULT_POINT, context.getHandler());
    if (!endpoint) return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    this.counters.record(endpoint, (request.body as Record<string, unknown> | undefined)?.grant_type);
    if (endpoint === 'consent') return next.handle();

    const fault = this.faults.take(endpoint);
    if (!fault) return next.handle();
    switch (fault.mode) {
      case '5xx':
      case '429':
        return throwError(() => faultError(endpoint, fault));
      case 'latency':
        return timer(fault.ms ?? DEFAULT_LATENCY_MS).pipe(mergeMap(() => next.handle()));
      case 'timeout':
        this.faults.hold(request.raw.socket, fault.ms);
        return NEVER;
      case 'invalid_grant':
        this.faults.markInvalidGrant(request.raw);
        return next.handle();
      case 'reset_after_commit':
        this.faults.markResetAfterCommit(request.raw);
        return next.handle();
      case 'expire_token': {
        // The presented access token expires now; authentication then answers 401 like for any expired token.
        const value = bearerToken(request.headers.authorization);
        const record = value === undefined ? undefined : this.tokens.accessToken(value);
        if (record) this.tokens.expireAccessToken(record, this.clock.now());
        return next.handle();
      }
    }
  }
}

function faultError(endpoint: FaultEndpoint, fault: ArmedFault): SandboxHttpError {
  const limited = fault.mode === '429';
  const status = limited ? 429 : 500;
  const headers: Record<string, string> = limited
    ? { 'retry-after': String(Math.max(1, Math.ceil((fault.ms ?? 1000) / 1000))) }
    : {};
  const description = limited ? 'Too many requests' : 'Internal server error';
  switch (endpoint) {
    case 'token':
    case 'revoke':
      return new OAuthError(status, limited ? 'too_many_requests' : 'server_error', description, 'flat', headers);
    case 'authorize':
      return new PageError(status, limited ? 'Too many requests' : 'Service unavailable', description, headers);
    case 'accounts':
    case 'transactions':
      return new ServiceError(status, description, [`Injected ${fault.mode} fault`], headers);
    case 'alpaca_account':
    case 'alpaca_positions':
    case 'alpaca_activities':
      return limited
        ? AlpacaError.rateLimited(Math.max(1, Math.ceil((fault.ms ?? 1000) / 1000)), Date.now())
        : AlpacaError.internal();
    case 'simplefin_claim':
    case 'simplefin_info':
    case 'simplefin_accounts':
      return new SimplefinError(status, description, headers);
  }
}
