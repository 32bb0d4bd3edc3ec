import { SandboxHttpError } from './sandbox-http.error';

/** The Trader API's `ServiceError` body: {"message": "...", "errors": ["..."]}. */
export class ServiceError extends SandboxHttpError {
  constructor(
    status: number,
    message: string,
    readonly errors: string[],
    headers: Record<string, string> = {},
  ) {
    super(status, message, headers);
  }

  static unauthorized(): ServiceError {
    return new ServiceError(401, 'Client not authorized', ['Access token is missing, invalid, expired or revoked'], {
      'www-authenticate': 'Bearer error="invalid_token"',
    });
  }

  /** Unknown hash, another user's account, or one that has been closed. */
  static accountNotFound(): ServiceError {
    return new ServiceError(404, 'Account not found', ['No account with this hash value for this user']);
  }

  static badRequest(...errors: string[]): ServiceError {
    return new ServiceError(400, 'Bad request', errors);
  }

  contentType(): string {
    return 'application/json';
  }

  payload(): { message: string; errors: string[] } {
    return { message: this.message, errors: this.errors };
  }
}
