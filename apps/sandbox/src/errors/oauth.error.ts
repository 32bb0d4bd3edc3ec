import { SandboxHttpError } from './sandbox-http.error';

/**
 * Schwab's token endpoint answers errors in two shapes, and clients must read both:
 * - `flat`:   {"error":"invalid_grant","error_description":"Authorization code is invalid"}
 * - `nested`: {"error":"invalid_client","error_description":"{\"error\":\"invalid_client\",\"error_description\":\"...\"}"}
 *   i.e. the upstream authorization server's JSON passed through as a string. The outer and inner
 *   `error` are always equal here.
 */
export type OAuthErrorShape = 'flat' | 'nested';

export class OAuthError extends SandboxHttpError {
  constructor(
    status: number,
    readonly error: string,
    readonly description: string,
    readonly shape: OAuthErrorShape = 'flat',
    headers: Record<string, string> = {},
  ) {
    super(status, `${error}: ${description}`, { 'cache-control': 'no-store', pragma: 'no-cache', ...headers });
  }

  static invalidRequest(description: string): OAuthError {
    return new OAuthError(400, 'invalid_request', description);
  }

  /** Client authentication failures are always 401 + the nested shape. */
  static invalidClient(): OAuthError {
    return new OAuthError(401, 'invalid_client', 'Client authentication failed', 'nested', {
      'www-authenticate': 'Basic realm="Sandbox"',
    });
  }

  static invalidGrant(description: string, shape: OAuthErrorShape): OAuthError {
    return new OAuthError(400, 'invalid_grant', description, shape);
  }

  static unsupportedGrantType(): OAuthError {
    return new OAuthError(400, 'unsupported_grant_type', 'grant_type must be authorization_code or refresh_token');
  }

  contentType(): string {
    return 'application/json';
  }

  payload(): { error: string; error_description: string } {
    const inner = { error: this.error, error_description: this.description };
    return this.shape === 'flat' ? inner : { error: this.error, error_description: JSON.stringify(inner) };
  }
}
