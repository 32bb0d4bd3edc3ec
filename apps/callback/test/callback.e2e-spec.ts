import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';

import { type CallbackConfig, getConfig } from '@dashtam/config';
import { type RunningCallbackApp, startCallbackApp } from '@dashtam/testing';

/**
 * The callback app over real TLS, in front of a loopback stand-in for the api's
 * `POST /api/v1/oauth/callbacks` contract (the full flow against the real api lives in the providers suite).
 */
interface Delivery {
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

let apiAnswer: { status: number; body: unknown } = { status: 200, body: {} };
const deliveries: Delivery[] = [];

function startStubApi(): Promise<Server> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      deliveries.push({
        headers: req.headers,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
      });
      res.writeHead(apiAnswer.status, { 'content-type': 'application/json' }).end(JSON.stringify(apiAnswer.body));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function startCallback(overrides: Partial<CallbackConfig>): Promise<RunningCallbackApp> {
  return startCallbackApp({ callback: overrides });
}

function get(url: string): Promise<{ status: number; headers: IncomingMessage['headers']; body: string }> {
  const ca = readFileSync(getConfig().tls.certFile);
  return new Promise((resolve, reject) => {
    httpsRequest(url, { ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
      );
    })
      .on('error', reject)
      .end();
  });
}

describe('callback app (HTTPS)', () => {
  let stub: Server;
  let callback: RunningCallbackApp;

  beforeAll(async () => {
    stub = await startStubApi();
    const port = (stub.address() as AddressInfo).port;
    callback = await startCallback({ apiUrl: `http://127.0.0.1:${port}`, secret: 'callback-secret-for-tests' });
  });
  afterAll(async () => {
    await callback.app.close();
    await new Promise((resolve) => stub.close(resolve));
  });
  beforeEach(() => {
    deliveries.length = 0;
  });

  it('answers /health over TLS', async () => {
    const res = await get(`${callback.url}/health`);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ status: 'ok' });
  });

  it('forwards code and state with the shared secret and shows a success page naming the alias', async () => {
    apiAnswer = {
      status: 200,
      body: { provider_id: 'p-1', alias: 'My <Schwab> & Co', status: 'active', account: 'a***@example.com' },
    };
    const res = await get(`${callback.url}/callback?code=C0.secret-code%40&state=st-123`);
    expect(res.status).toBe(200);
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0].body).toEqual({ state: 'st-123', code: 'C0.secret-code@' });
    expect(deliveries[0].headers['x-callback-secret']).toBe('callback-secret-for-tests');
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.body).toContain('My &lt;Schwab&gt; &amp; Co is connected');
    // Names the account that received the grant, so a person sent someone else's link can tell.
    expect(res.body).toContain('the Dashtam account a***@example.com');
    expect(res.body).not.toContain('<Schwab>');
    expect(res.body).not.toContain('secret-code');
    expect(res.body).not.toContain('st-123');
  });

  it('also answers on / (some institutions register the bare origin)', async () => {
    apiAnswer = {
      status: 200,
      body: { provider_id: 'p-1', alias: 'Sandbox', status: 'active', account: 'a***@example.com' },
    };
    expect((await get(`${callback.url}/?code=abc&state=s`)).status).toBe(200);
  });

  it('a refused state shows a 400 page and never echoes the code', async () => {
    apiAnswer = { status: 400, body: { code: 'OAUTH.STATE_INVALID', status: 400 } };
    const res = await get(`${callback.url}/callback?code=%3Cscript%3Ealert(1)%3C%2Fscript%3E&state=replayed`);
    expect(res.status).toBe(400);
    expect(res.body).toContain('This link can no longer be used');
    expect(res.body).not.toContain('<script>alert');
  });

  it('an institution error is forwarded and shown as a 400 page', async () => {
    apiAnswer = { status: 400, body: { code: 'OAUTH.ACCESS_DENIED' } };
    const res = await get(`${callback.url}/callback?error=access_denied&error_description=User%20said%20no&state=s1`);
    expect(res.status).toBe(400);
    expect(deliveries[0].body).toEqual({ state: 's1', error: 'access_denied', error_description: 'User said no' });
    expect(res.body).toContain('Access was declined at the institution.');
  });

  it('without a state nothing is forwarded', async () => {
    const res = await get(`${callback.url}/callback?code=abc`);
    expect(res.status).toBe(400);
    expect(deliveries).toHaveLength(0);
  });

  it('repeated or oversized parameters are refused without forwarding', async () => {
    expect((await get(`${callback.url}/callback?code=a&state=s&state=t`)).status).toBe(400);
    expect((await get(`${callback.url}/callback?code=a&state=${'x'.repeat(600)}`)).status).toBe(400);
    expect(deliveries).toHaveLength(0);
  });

  it('an api 5xx becomes a 502 page', async () => {
    apiAnswer = { status: 500, body: { code: 'INTERNAL' } };
    const res = await get(`${callback.url}/callback?code=abc&state=s`);
    expect(res.status).toBe(502);
    expect(res.body).toContain('Dashtam could not finish connecting');
  });

  it('an unreachable api becomes a 502 page', async () => {
    const closed = await startCallback({ apiUrl: 'http://127.0.0.1:1', secret: 'callback-secret-for-tests' });
    try {
      expect((await get(`${closed.url}/callback?code=abc&state=s`)).status).toBe(502);
    } finally {
      await closed.app.close();
    }
  });

  it('forward mode: redirects the browser to the frontend with state and code, never calling the api', async () => {
    const port = (stub.address() as AddressInfo).port;
    const forwarding = await startCallback({
      apiUrl: `http://127.0.0.1:${port}`,
      secret: 'callback-secret-for-tests',
      mode: 'forward',
      redirectUrl: 'http://localhost:3000/connections/complete',
    });
    try {
      const before = deliveries.length;
      const approved = await get(`${forwarding.url}/callback?code=abc%2Fdef&state=s-1`);
      expect(approved.status).toBe(302);
      expect(approved.headers.location).toBe('http://localhost:3000/connections/complete?state=s-1&code=abc%2Fdef');
      expect(approved.headers['referrer-policy']).toBe('no-referrer');
      expect(approved.headers['cache-control']).toBe('no-store');
      const denied = await get(`${forwarding.url}/callback?error=access_denied&state=s-2`);
      expect(denied.headers.location).toBe('http://localhost:3000/connections/complete?state=s-2&error=access_denied');
      // Nothing usable: the page, not a redirect.
      expect((await get(`${forwarding.url}/callback?code=abc`)).status).toBe(400);
      expect(deliveries.length).toBe(before);
    } finally {
      await forwarding.app.close();
    }
  });
});
