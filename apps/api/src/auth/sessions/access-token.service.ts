import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';

import { authConfig, type AuthConfig } from '@dashtam/config';

import { AppError } from '../../common/errors';

const ISSUER = 'dashtam';
const AUDIENCE = 'dashtam-api';
const ALGORITHM = 'HS256';

export interface AccessClaims {
  /** user id */
  sub: string;
  /** session id */
  sid: string;
}

// RFC 6750: a 401 on a protected resource names the scheme and why the token failed.
const challenge = (error?: string): Record<string, string> => ({
  'www-authenticate': error ? `Bearer realm="dashtam", error="${error}"` : 'Bearer realm="dashtam"',
});

export function unauthorized(
  code: 'AUTH.UNAUTHORIZED' | 'AUTH.TOKEN_INVALID' | 'AUTH.TOKEN_EXPIRED' | 'AUTH.SESSION_REVOKED',
  message: string,
): AppError {
  return new AppError(code, message, {
    headers: challenge(code === 'AUTH.UNAUTHORIZED' ? undefined : 'invalid_token'),
  });
}

/** Short-lived HS256 access tokens carrying only the user id and the session id (no email, no PII). */
@Injectable()
export class AccessTokenService {
  constructor(
    private readonly jwt: JwtService,
    @Inject(authConfig.KEY) private readonly auth: AuthConfig,
  ) {}

  get ttlSeconds(): number {
    return this.auth.accessTokenTtlSeconds;
  }

  sign(userId: string, sessionId: string): Promise<string> {
    return this.jwt.signAsync(
      { sid: sessionId },
      {
        subject: userId,
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithm: ALGORITHM,
        expiresIn: this.auth.accessTokenTtlSeconds,
      },
    );
  }

  /** Signature, algorithm, issuer, audience and expiry, or a 401 saying which. */
  async verify(token: string): Promise<AccessClaims> {
    let claims: Partial<AccessClaims>;
    try {
      claims = await this.jwt.verifyAsync<Partial<AccessClaims>>(token, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: [ALGORITHM],
      });
    } catch (error) {
      if ((error as Error).name === 'TokenExpiredError') {
        throw unauthorized('AUTH.TOKEN_EXPIRED', 'The access token has expired; refresh it');
      }
      throw unauthorized('AUTH.TOKEN_INVALID', 'The access token is not valid');
    }
    if (typeof claims.sub !== 'string' || typeof claims.sid !== 'string') {
      throw unauthorized('AUTH.TOKEN_INVALID', 'The access token is not valid');
    }
    return { sub: claims.sub, sid: claims.sid };
  }
}
