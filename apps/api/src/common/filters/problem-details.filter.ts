import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { describeQueryFailure } from '@dashtam/database';

import {
  AppError,
  CODE_FOR_STATUS,
  ERROR_CODES,
  type ErrorCode,
  PROBLEM_CONTENT_TYPE,
  type ProblemDetails,
  translateLibraryError,
} from '../errors';
import { dependencyOutage } from '../errors/dependency-outage';
import { requestIdOf } from '../http/request-id';
import type { RouteTable } from './route-table';

interface Mapped {
  body: ProblemDetails;
  headers: Record<string, string>;
}

// Fastify's own error codes for requests rejected before they reach a handler.
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'REQUEST.MALFORMED',
  FST_ERR_CTP_BODY_TOO_LARGE: 'REQUEST.TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'REQUEST.UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'REQUEST.MALFORMED',
  FST_ERR_BAD_URL: 'REQUEST.MALFORMED',
  FST_ERR_MAX_PARAM_LENGTH: 'REQUEST.URI_TOO_LONG',
};

// Fastify's messages quote the path or the body; ours say what is wrong without echoing input.
const FASTIFY_DETAILS: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'The request body is not valid JSON',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'The Content-Length does not match the body',
  FST_ERR_BAD_URL: 'The URL is not validly encoded',
  FST_ERR_MAX_PARAM_LENGTH: 'A path segment is too long',
};

// Both clients reconnect on their own within seconds of a dependency's return.
const OUTAGE_RETRY_AFTER_SECONDS = 5;

function problem(code: ErrorCode, detail: string | null, requestId: string | null, status?: number): ProblemDetails {
  const entry = ERROR_CODES[code];
  return {
    type: 'about:blank',
    title: entry.title,
    status: status ?? entry.status,
    detail,
    code,
    request_id: requestId,
  };
}

/**
 * Every error leaves the API through here as application/problem+json (SPEC §8): our AppError, a
 * library error by its stable code (LIBRARY_ERRORS), a framework error by its status. Client errors
 * keep a safe message; 5xx bodies are generic and the full error goes to the log with the request id.
 */
export function toProblem(error: unknown, request: FastifyRequest, routes?: RouteTable): Mapped {
  const requestId = requestIdOf(request);
  if (error instanceof AppError) {
    const body = problem(error.code, error.message, requestId);
    if (error.options.errors) body.errors = error.options.errors;
    return { body, headers: error.options.headers ?? {} };
  }
  const library = translateLibraryError(error);
  if (library) return { body: problem(library.code, library.detail, requestId), headers: library.headers };
  if (error instanceof HttpException) {
    const status = error.getStatus();
    if (status === 404 && routes && error.message.startsWith('Cannot ')) {
      const allowed = routes.allowedMethods(request.url);
      if (allowed.length > 0) {
        return {
          body: problem('ROUTE.METHOD_NOT_ALLOWED', `${request.method} is not allowed here`, requestId),
          headers: { allow: allowed.join(', ') },
        };
      }
      return { body: problem('ROUTE.NOT_FOUND', 'No such route', requestId), headers: {} };
    }
    const code = CODE_FOR_STATUS[status];
    if (code && status < 500) return { body: problem(code, error.message, requestId, status), headers: {} };
    if (code) return { body: problem(code, null, requestId, status), headers: {} };
  }
  const fastifyCode = (error as { code?: unknown } | null)?.code;
  if (typeof fastifyCode === 'string' && Object.hasOwn(FASTIFY_CODES, fastifyCode)) {
    const code = FASTIFY_CODES[fastifyCode];
    const detail = FASTIFY_DETAILS[fastifyCode] ?? (error as Error).message;
    return { body: problem(code, detail, requestId), headers: {} };
  }
  if (dependencyOutage(error)) {
    return {
      body: problem('SERVICE.UNAVAILABLE', 'A service Dashtam depends on is unavailable; retry shortly', requestId),
      headers: { 'retry-after': String(OUTAGE_RETRY_AFTER_SECONDS) },
    };
  }
  const status = (error as { statusCode?: number } | null)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500 && CODE_FOR_STATUS[status]) {
    return { body: problem(CODE_FOR_STATUS[status], null, requestId, status), headers: {} };
  }
  return {
    body: problem('INTERNAL', 'An unexpected error occurred; quote the request id when reporting it', requestId),
    headers: {},
  };
}

export function sendProblem(reply: FastifyReply, mapped: Mapped): void {
  void reply
    .status(mapped.body.status)
    .headers(mapped.headers)
    .header('content-type', PROBLEM_CONTENT_TYPE)
    .send(mapped.body);
}

/**
 * The log's view of an unexpected error. Never the error object itself: its enumerable properties
 * (a query's `parameters`, a driver error's `detail`) carry emails, names and password hashes that
 * redaction by field name does not catch. A failed statement is its SQLSTATE and statement name.
 */
export function describeForLog(error: unknown): Record<string, unknown> {
  const query = describeQueryFailure(error);
  if (query) return { ...query };
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return {
      type: error.name,
      message: error.message,
      code: typeof code === 'string' ? code : null,
      stack: error.stack,
    };
  }
  return { type: typeof error };
}

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  constructor(private readonly routes?: RouteTable) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const mapped = toProblem(error, request, this.routes);
    if (mapped.body.status >= 500) {
      this.logger.error({ error: describeForLog(error), request_id: mapped.body.request_id }, 'request failed');
    }
    sendProblem(reply, mapped);
  }
}
