import { Injectable } from '@nestjs/common';

/**
 * The one time source for every expiry decision (codes, tokens, consent requests, data windows).
 * Real time plus an offset that tests push forward through `POST /__sandbox/clock`; never backwards,
 * so an expired token can never come back to life.
 */
@Injectable()
export class SandboxClock {
  private offsetMs = 0;
  private startedAtMs = Date.now();

  now(): number {
    return Date.now() + this.offsetMs;
  }

  advance(seconds: number): void {
    if (!Number.isFinite(seconds) || seconds < 0) throw new RangeError('the sandbox clock only moves forward');
    this.offsetMs += Math.round(seconds * 1000);
  }

  get offsetSeconds(): number {
    return this.offsetMs / 1000;
  }

  /** When this Sandbox started (or was last reset), on its own clock: dated events count from here. */
  get startedAt(): number {
    return this.startedAtMs;
  }

  reset(): void {
    this.offsetMs = 0;
    this.startedAtMs = Date.now();
  }
}
