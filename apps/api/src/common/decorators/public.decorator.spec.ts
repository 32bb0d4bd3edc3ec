import type { OpenAPIObject } from '@nestjs/swagger';

import { applyBearerSecurity } from './public.decorator';

describe('applyBearerSecurity', () => {
  it('requires bearer on every operation except those from @Public() routes', () => {
    const doc = {
      openapi: '3.0.0',
      info: { title: 't', version: '1' },
      paths: {
        '/open': { get: { responses: {}, 'x-dashtam-public': true } },
        '/closed': { get: { responses: {} }, post: { responses: {} } },
      },
    } as unknown as OpenAPIObject;
    const out = applyBearerSecurity(doc) as unknown as { paths: Record<string, Record<string, object>> };
    expect(out.paths['/open'].get).toEqual({ responses: {}, security: [] });
    expect(out.paths['/closed'].get).toEqual({ responses: {}, security: [{ bearer: [] }] });
    expect(out.paths['/closed'].post).toEqual({ responses: {}, security: [{ bearer: [] }] });
  });
});
