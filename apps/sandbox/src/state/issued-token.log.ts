import { Injectable } from '@nestjs/common';

export type IssuedKind = 'authorization_code' | 'access_token' | 'refresh_token' | 'id_token';

export interface IssuedEntry {
  kind: IssuedKind;
  value: string;
  user: string;
  familyId: string | undefined;
  issuedAt: number;
  expiresAt: number;
}

/**
 * Every secret the Sandbox ever handed out, in order. Tests read it through
 * `GET /__sandbox/issued-tokens` to prove Dashtam never stores one in plaintext.
 */
@Injectable()
export class IssuedTokenLog {
  private readonly entries: IssuedEntry[] = [];

  record(entry: IssuedEntry): void {
    this.entries.push(entry);
  }

  all(): readonly IssuedEntry[] {
    return this.entries;
  }

  reset(): void {
    this.entries.length = 0;
  }
}
