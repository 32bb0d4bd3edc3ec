import { SandboxHttpError } from '../errors/sandbox-http.error';

/** SimpleFIN servers answer refusals in plain text ("Forbidden"), not JSON. */
export class SimplefinError extends SandboxHttpError {
  constructor(status: number, message: string, headers: Record<string, string> = {}) {
    super(status, message, headers);
  }

  contentType(): string {
    return 'text/plain; charset=utf-8';
  }

  payload(): string {
    return this.message;
  }
}
