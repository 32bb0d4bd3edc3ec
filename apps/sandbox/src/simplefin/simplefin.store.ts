import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

import { Injectable } from '@nestjs/common';

import { SandboxClock } from '../clock/sandbox-clock';

/** SimpleFIN Bridge blocks an Access URL past this many `/accounts` calls a day (SPEC §8). */
export const SIMPLEFIN_DAILY_LIMIT = 96;

interface AccessRecord {
  password: string;
  /** `/accounts` calls by UTC day (`YYYY-MM-DD` on the Sandbox clock). */
  calls: Map<string, number>;
}

/**
 * The Sandbox Bridge's state: issued setup tokens (each claimable once), the Access URLs' Basic
 * credentials, their daily call counts, and the errors tests ask `/accounts` to report.
 */
@Injectable()
export class SimplefinStore {
  private readonly setupTokens = new Map<string, boolean>();
  private readonly access = new Map<string, AccessRecord>();
  private errors: string[] = [];

  constructor(private readonly clock: SandboxClock) {}

  /** A new claim id (the last path segment of the claim URL). */
  issueSetupToken(): string {
    const id = randomBytes(18).toString('base64url');
    this.setupTokens.set(id, false);
    return id;
  }

  /** New Basic credentials for a claim id that was issued and never claimed; null otherwise. */
  claim(id: string): { username: string; password: string } | null {
    if (this.setupTokens.get(id) !== false) return null;
    this.setupTokens.set(id, true);
    const username = randomBytes(12).toString('hex');
    const password = randomBytes(24).toString('hex');
    this.access.set(username, { password, calls: new Map() });
    return { username, password };
  }

  /** The Access URL's username when the Basic credentials are one the Sandbox handed out. */
  authenticate(username: string, password: string): string | null {
    const record = this.access.get(username);
    if (!record) return null;
    const digest = (value: string) => createHash('sha256').update(value).digest();
    return timingSafeEqual(digest(record.password), digest(password)) ? username : null;
  }

  /** Counts one `/accounts` call; false once today's calls are past the Bridge's limit. */
  countAccountsCall(username: string): boolean {
    const record = this.access.get(username)!;
    const day = new Date(this.clock.now()).toISOString().slice(0, 10);
    const calls = (record.calls.get(day) ?? 0) + 1;
    record.calls.set(day, calls);
    return calls <= SIMPLEFIN_DAILY_LIMIT;
  }

  setErrors(errors: string[]): void {
    this.errors = [...errors];
  }

  currentErrors(): string[] {
    return [...this.errors];
  }

  reset(): void {
    this.setupTokens.clear();
    this.access.clear();
    this.errors = [];
  }
}
