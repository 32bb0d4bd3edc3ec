import { SandboxHttpError } from '../errors/sandbox-http.error';

/** Alpaca's error body: `{"code": 40110000, "message": "request is not authorized"}` (an 8-digit code). */
export class AlpacaError extends SandboxHttpError {
  constructor(
    status: number,
    readonly code: number,
    message: string,
    headers: Record<string, string> = {},
  ) {
    super(status, message, headers);
  }

  /** Unknown, missing or mismatched `APCA-API-KEY-ID` / `APCA-API-SECRET-KEY`, as the real API answers. */
  static unauthorized(): AlpacaError {
    return new AlpacaError(401, 40110000, 'request is not authorized');
  }

  static unprocessable(message: string): AlpacaError {
    return new AlpacaError(422, 42210000, message);
  }

  /** Alpaca's gateway past its per-minute budget; `X-RateLimit-Reset` is in epoch seconds. */
  static rateLimited(retryAfterSeconds: number, nowMs: number): AlpacaError {
    return new AlpacaError(429, 42910000, 'rate limit exceeded', {
      'x-ratelimit-limit': '200',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': String(Math.ceil(nowMs / 1000) + retryAfterSeconds),
      'retry-after': String(retryAfterSeconds),
    });
  }

  static internal(): AlpacaError {
    return new AlpacaError(500, 50010000, 'internal server error');
  }

  contentType(): string {
    return 'application/json';
  }

  payload(): { code: number; message: string } {
    return { code: this.code, message: this.message };
  }
}
