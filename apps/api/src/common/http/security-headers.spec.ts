import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';

import helmet, { type HelmetOptions } from 'helmet';

import { staticSecurityHeaders } from './security-headers';

/** What helmet itself sets on a real response. */
function helmetOnAResponse(options: HelmetOptions): Record<string, string> {
  const request = new IncomingMessage(new Socket());
  const response = new ServerResponse(request);
  helmet(options)(request, response, () => undefined);
  return Object.fromEntries(Object.entries(response.getHeaders()).map(([name, value]) => [name, String(value)]));
}

describe('staticSecurityHeaders', () => {
  const options: HelmetOptions = {
    contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], frameAncestors: ["'none'"] } },
  };

  it('are exactly the headers helmet sets per request', () => {
    const headers = staticSecurityHeaders(options);
    expect(headers).toEqual(helmetOnAResponse(options));
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['strict-transport-security']).toMatch(/^max-age=\d+/);
  });

  it('refuse a directive computed per request', () => {
    const perRequest = { contentSecurityPolicy: { directives: { scriptSrc: [() => "'nonce-x'"] } } };
    expect(() => staticSecurityHeaders(perRequest)).toThrow(/computed per request/);
  });
});
