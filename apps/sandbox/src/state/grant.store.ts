import { Injectable } from '@nestjs/common';

/** An authorize request waiting for the person's decision on the consent page. */
export interface PendingAuthorization {
  id: string;
  clientId: string;
  redirectUri: string;
  state: string | undefined;
  scope: string | undefined;
  codeChallenge: string | undefined;
  expiresAt: number;
}

export interface AuthorizationCode {
  code: string;
  clientId: string;
  redirectUri: string;
  user: string;
  codeChallenge: string | undefined;
  issuedAt: number;
  expiresAt: number;
  /** Set on first exchange; a second exchange revokes this family (RFC 6749 §4.1.2). */
  familyId: string | undefined;
  consumed: boolean;
}

// Expired entries stay this long so a late replay still reads as "used/expired" rather than "unknown".
const RETAIN_AFTER_EXPIRY_MS = 10 * 60_000;
const SWEEP_EVERY = 512;

/** Pending consent requests and authorization codes, in memory: the Sandbox is a single process. */
@Injectable()
export class GrantStore {
  private readonly pending = new Map<string, PendingAuthorization>();
  private readonly codes = new Map<string, AuthorizationCode>();
  private writes = 0;

  savePending(request: PendingAuthorization, now: number): void {
    this.pending.set(request.id, request);
    this.maybeSweep(now);
  }

  /** Single use: the request is gone after this call, whatever the decision. */
  takePending(id: string, now: number): PendingAuthorization | undefined {
    const request = this.pending.get(id);
    this.pending.delete(id);
    return request && request.expiresAt > now ? request : undefined;
  }

  saveCode(code: AuthorizationCode, now: number): void {
    this.codes.set(code.code, code);
    this.maybeSweep(now);
  }

  findCode(code: string): AuthorizationCode | undefined {
    return this.codes.get(code);
  }

  reset(): void {
    this.pending.clear();
    this.codes.clear();
    this.writes = 0;
  }

  private maybeSweep(now: number): void {
    if (++this.writes % SWEEP_EVERY !== 0) return;
    for (const [id, request] of this.pending) if (request.expiresAt <= now) this.pending.delete(id);
    for (const [value, code] of this.codes) {
      if (code.expiresAt + RETAIN_AFTER_EXPIRY_MS <= now) this.codes.delete(value);
    }
  }
}
