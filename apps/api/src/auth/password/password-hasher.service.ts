import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import * as argon2 from 'argon2';

import { authConfig, type AuthConfig } from '@dashtam/config';

/**
 * argon2id with the configured cost (AUTH_ARGON2_*). The native binding hashes on libuv's thread
 * pool, off the event loop. Hashes embed their parameters, so raising the cost later is safe:
 * `needsRehash` tells login to upgrade old hashes.
 */
@Injectable()
export class PasswordHasherService implements OnModuleInit {
  private readonly options: { type: 2; memoryCost: number; timeCost: number; parallelism: number };
  // Verified against when the email is unknown, so both paths cost one argon2 run.
  private dummyHash = '';

  constructor(@Inject(authConfig.KEY) auth: AuthConfig) {
    this.options = {
      type: argon2.argon2id,
      memoryCost: auth.argon2.memoryKib,
      timeCost: auth.argon2.timeCost,
      parallelism: auth.argon2.parallelism,
    };
  }

  async onModuleInit(): Promise<void> {
    this.dummyHash = await this.hash(`dummy-${Date.now()}`);
  }

  hash(password: string): Promise<string> {
    return argon2.hash(password, this.options);
  }

  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, password);
    } catch {
      // A malformed stored hash is a failed login, not a 500 that tells an attacker something.
      return false;
    }
  }

  /** Spends the same work as a real verification and always fails. */
  async verifyNothing(password: string): Promise<false> {
    await this.verify(this.dummyHash, password);
    return false;
  }

  needsRehash(hash: string): boolean {
    return argon2.needsRehash(hash, this.options);
  }
}
