import type { IncomingMessage, ServerResponse } from 'node:http';

import helmet, { type HelmetOptions } from 'helmet';

/**
 * The headers helmet sets for `options`, computed once. With static directives (no function values,
 * no nonces) they do not depend on the request, and running helmet per request re-validated and
 * re-serialised its Content-Security-Policy every time: measured in bench/README.md.
 */
export function staticSecurityHeaders(options: HelmetOptions): Readonly<Record<string, string>> {
  const csp = options.contentSecurityPolicy;
  const directives = typeof csp === 'object' ? Object.values(csp.directives ?? {}) : [];
  if (
    directives.some(
      (value) => typeof value === 'function' || (Array.isArray(value) && value.some((v) => typeof v === 'function')),
    )
  ) {
    throw new Error('a Content-Security-Policy directive computed per request cannot be sent as a static header');
  }
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string | number) => {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  };
  const request = { headers: {} } as IncomingMessage;
  let finished = false;
  helmet(options)(request, response as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error instanceof Error ? error : new Error(String(error));
    finished = true;
  });
  // helmet's middleware is synchronous; anything else would mean the headers depend on the request.
  if (!finished) throw new Error('helmet did not set its headers synchronously');
  return Object.freeze(headers);
}
