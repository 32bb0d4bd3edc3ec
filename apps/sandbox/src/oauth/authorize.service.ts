import { randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';

import { SandboxClock } from '../clock/sandbox-clock';
import { PageError } from '../errors/page.error';
import type { SandboxOptions } from '../sandbox-options';
import { SANDBOX_OPTIONS } from '../sandbox.tokens';
import { SandboxSettings } from '../settings/sandbox-settings';
import { GrantStore, type PendingAuthorization } from '../state/grant.store';
import { IssuedTokenLog } from '../state/issued-token.log';
import { isS256Challenge } from './pkce';
import { paramReader } from './param-reader';
import { newAuthorizationCode, newRequestId } from './token-format';

/** What the authorize endpoint does next: show the consent page or send the browser back. */
export type AuthorizeOutcome =
  { kind: 'consent'; request: PendingAuthorization } | { kind: 'redirect'; location: string };

export const USERNAME = /^[A-Za-z0-9._@+-]{1,64}$/;
const CONSENT_TTL_MS = 10 * 60_000;

class RedirectableError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
  ) {
    super(description);
  }
}

/**
 * The authorization endpoint (RFC 6749 §4.1.1-4.1.2). Problems with client_id or redirect_uri render
 * an error page, never a redirect (an open redirector otherwise); every later problem goes back to the
 * client as `error=...&state=...`.
 */
@Injectable()
export class AuthorizeService {
  constructor(
    @Inject(SANDBOX_OPTIONS) private readonly options: SandboxOptions,
    private readonly settings: SandboxSettings,
    private readonly clock: SandboxClock,
    private readonly grants: GrantStore,
    private readonly issued: IssuedTokenLog,
  ) {}

  begin(query: unknown): AuthorizeOutcome {
    const trusted = paramReader(query, () => new PageError(400, 'Invalid request', 'A parameter is repeated'));
    const clientId = trusted.optional('client_id');
    if (clientId !== this.options.clientId) {
      throw new PageError(400, 'Unknown application', 'client_id is missing or not registered with the Sandbox.');
    }
    const redirectUri = trusted.optional('redirect_uri');
    if (redirectUri === undefined || !this.settings.isRegisteredRedirectUri(redirectUri)) {
      throw new PageError(
        400,
        'Invalid redirect URI',
        'redirect_uri is missing or not registered for this application.',
      );
    }

    let state: string | undefined;
    try {
      const params = paramReader(query, (message) => new RedirectableError('invalid_request', message));
      state = params.optional('state');
      const responseType = params.required('response_type');
      if (responseType !== 'code') {
        throw new RedirectableError('unsupported_response_type', 'response_type must be code');
      }
      const request: PendingAuthorization = {
        id: newRequestId(),
        clientId,
        redirectUri,
        state,
        scope: params.optional('scope'),
        codeChallenge: this.readChallenge(params.optional('code_challenge'), params.optional('code_challenge_method')),
        expiresAt: this.clock.now() + CONSENT_TTL_MS,
      };
      if (this.settings.current.autoApprove) return this.approve(request, this.settings.current.user);
      this.grants.savePending(request, this.clock.now());
      return { kind: 'consent', request };
    } catch (error) {
      if (!(error instanceof RedirectableError)) throw error;
      return this.back(redirectUri, state, { error: error.error, error_description: error.description });
    }
  }

  /** The consent form's answer. The pending request is single use; a bad user name leaves it in place. */
  decide(body: unknown): AuthorizeOutcome {
    const form = paramReader(body, () => new PageError(400, 'Invalid request', 'A form field is repeated'));
    const decision = form.optional('decision');
    const username = form.optional('username')?.trim() ?? '';
    if (decision !== 'approve' && decision !== 'deny') {
      throw new PageError(400, 'Invalid request', 'Choose Approve or Deny.');
    }
    if (decision === 'approve' && !USERNAME.test(username)) {
      throw new PageError(400, 'Invalid user name', 'Use 1-64 letters, digits or . _ @ + - characters.');
    }
    const request = this.grants.takePending(form.optional('request_id') ?? '', this.clock.now());
    if (!request) {
      throw new PageError(
        400,
        'Request expired',
        'This authorization request is unknown, already answered or expired. Start again from the application.',
      );
    }
    if (decision === 'deny') {
      return this.back(request.redirectUri, request.state, {
        error: 'access_denied',
        error_description: 'The user denied access',
      });
    }
    return this.approve(request, username);
  }

  private approve(request: PendingAuthorization, user: string): AuthorizeOutcome {
    const now = this.clock.now();
    const code = newAuthorizationCode();
    const expiresAt = now + this.settings.current.codeTtlSeconds * 1000;
    this.grants.saveCode(
      {
        code,
        clientId: request.clientId,
        redirectUri: request.redirectUri,
        user,
        codeChallenge: request.codeChallenge,
        issuedAt: now,
        expiresAt,
        familyId: undefined,
        consumed: false,
      },
      now,
    );
    this.issued.record({
      kind: 'authorization_code',
      value: code,
      user,
      familyId: undefined,
      issuedAt: now,
      expiresAt,
    });
    // Schwab adds a `session` id next to code and state; clients must ignore what they do not know.
    return this.back(request.redirectUri, request.state, { code, session: randomUUID() });
  }

  private readChallenge(challenge: string | undefined, method: string | undefined): string | undefined {
    if (challenge === undefined) {
      if (method !== undefined)
        throw new RedirectableError('invalid_request', 'code_challenge_method without code_challenge');
      return undefined;
    }
    // RFC 7636 defaults to `plain`; the Sandbox accepts only S256 so a client that forgets the method fails loudly.
    if (method !== 'S256') throw new RedirectableError('invalid_request', 'code_challenge_method must be S256');
    if (!isS256Challenge(challenge)) throw new RedirectableError('invalid_request', 'code_challenge is malformed');
    return challenge;
  }

  private back(redirectUri: string, state: string | undefined, params: Record<string, string>): AuthorizeOutcome {
    const url = new URL(redirectUri);
    for (const [key, value] of Object.entries(params)) url.searchParams.append(key, value);
    if (state !== undefined) url.searchParams.append('state', state);
    return { kind: 'redirect', location: url.toString() };
  }
}
