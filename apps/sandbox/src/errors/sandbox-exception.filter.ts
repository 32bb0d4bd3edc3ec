import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';

import { SandboxHttpError } from './sandbox-http.error';

/**
 * Renders every error in the wire format of its endpoint (OAuth JSON, Trader ServiceError, HTML page).
 * Anything else is a Nest/Fastify error (404 route, control validation) or a bug: plain JSON.
 */
@Catch()
export class SandboxExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(SandboxExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (reply.sent || reply.raw.destroyed) return;
    if (exception instanceof SandboxHttpError) {
      void reply
        .status(exception.status)
        .headers(exception.headers)
        .type(exception.contentType())
        .send(exception.payload());
      return;
    }
    if (exception instanceof HttpException) {
      const response = exception.getResponse();
      const message = typeof response === 'string' ? response : (response as { message?: unknown }).message;
      void reply.status(exception.getStatus()).send({ error: errorName(exception.getStatus()), message });
      return;
    }
    this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    void reply.status(500).send({ error: 'server_error', message: 'Internal error' });
  }
}

function errorName(status: number): string {
  if (status === 404) return 'not_found';
  if (status === 400) return 'invalid_request';
  return status >= 500 ? 'server_error' : 'request_error';
}
