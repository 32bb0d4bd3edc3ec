import type { FastifyRequest } from 'fastify';

/** The id pino-http assigned (from X-Request-Id or freshly minted); null outside an HTTP request. */
export function requestIdOf(request: FastifyRequest | undefined): string | null {
  const raw = request?.raw as { id?: unknown } | undefined;
  if (typeof raw?.id === 'string') return raw.id;
  // Before pino-http ran (a URL Fastify refused while routing), Fastify's own id is the same one.
  return typeof request?.id === 'string' ? request.id : null;
}
