import request from 'supertest';

import {
  browserGet,
  captureProcessOutput,
  consentAtSandbox,
  createSignedInUser,
  deliverCallback,
  type LinkingStack,
  ProvidersApi,
  startLinkingStack,
} from '@dashtam/testing';

interface LogLine {
  level: number;
  msg: string;
  request_id?: string;
  error?: { type: string; code?: string; message: string };
}

/**
 * What the api's logs (at trace level) say about OAuth flows: a failed request's stable error code
 * is there; the institution's authorization code never is, whether it came in a query string or in
 * the callback app's delivery body.
 */
describe('providers: OAuth codes stay out of the logs, error codes stay in', () => {
  let stack: LinkingStack;
  let api: ProvidersApi;
  let output: ReturnType<typeof captureProcessOutput>;

  beforeAll(async () => {
    output = captureProcessOutput();
    stack = await startLinkingStack({ app: { logLevel: 'trace' } });
    api = new ProvidersApi(stack.api.url, (await createSignedInUser(stack.api)).auth);
  });
  afterAll(async () => {
    await stack?.close();
    output.restore();
  });

  const logLines = (): LogLine[] =>
    output.lines
      .join('')
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as LogLine);

  async function approved(providerId: string): Promise<{ state: string; code: string }> {
    const started = await api.authorize(providerId).expect(201);
    const redirect = await consentAtSandbox(started.body.authorization_url as string);
    return { state: redirect.searchParams.get('state')!, code: redirect.searchParams.get('code')! };
  }

  it('a failed code exchange logs its stable code; the OAuth code delivered never reaches a log line', async () => {
    const provider = await api.created('Logged failure');
    const flow = await approved(provider.id);
    await stack.controls.fault({ endpoint: 'token', mode: '5xx' });
    const res = await deliverCallback(stack.api.url, flow, stack.callbackSecret).expect(502);

    const failure = logLines().find((line) => line.msg === 'request failed' && line.request_id === res.body.request_id);
    expect(failure).toMatchObject({
      level: 50,
      error: { type: 'ProviderError', code: 'PROVIDER.CODE_EXCHANGE_UNAVAILABLE' },
    });
    expect(output.lines.join('')).not.toContain(flow.code);
  });

  it('a link through the callback app (code in its query, then in its body to the api) logs no code', async () => {
    const provider = await api.created('Logged link');
    const flow = await approved(provider.id);
    const page = await browserGet(`${stack.redirectUri}?${new URLSearchParams(flow).toString()}`);
    expect(page.status).toBe(200);
    expect((await api.get(provider.id).expect(200)).body).toMatchObject({ status: 'active' });

    const logs = output.lines.join('');
    expect(logs).toContain('"url":"/api/v1/oauth/callbacks"');
    expect(logs).not.toContain(flow.code);
  });

  it('secret123 in the query string and the body of the callbacks route is redacted', async () => {
    await request(stack.api.url)
      .post('/api/v1/oauth/callbacks?code=secret123&state=secret123')
      .set('x-callback-secret', stack.callbackSecret)
      .send({ state: 'no-such-state', code: 'secret123' })
      .expect(400);
    await deliverCallback(stack.api.url, { state: 'no-such-state', code: 'secret123' }, 'wrong-secret').expect(401);

    const logs = output.lines.join('');
    // The request was logged, with its query keys kept and their values replaced.
    expect(logs).toContain('/api/v1/oauth/callbacks?code=%5BRedacted%5D&state=%5BRedacted%5D');
    expect(logs).not.toContain('secret123');
  });
});
