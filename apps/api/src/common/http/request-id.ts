import type { FastifyRequest } from 'fastify';

/** The id pino-http assigned (from X-Request-Id or freshly minted); null outside an HTTP request. */
export function requestIdOf(request: FastifyRequest | undefined): string | null {
  const raw = request?.raw as { id?: unknown } | undefined;
  return typeof raw?.id === 'string' ? raw.id : null;
}
