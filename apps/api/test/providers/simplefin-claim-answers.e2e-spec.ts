import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import {
  captureProcessOutput,
  createSignedInUser,
  type LinkingStack,
  ProvidersApi,
  type SignedInUser,
  startLinkingStack,
} from '@dashtam/testing';

import { connectionIdOf } from '../support/sync-fixtures';

const setupTokenFor = (url: string) => Buffer.from(url, 'utf8').toString('base64');
const PASSWORD = 'claim-answer-password-9f3c';

interface FakeServer {
  server: Server;
  port: number;
  requests: string[];
}

async function listen(answer: (path: string) => string): Promise<FakeServer> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.writeHead(200, { 'content-type': 'text/plain' }).end(answer(req.url ?? '/'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, requests };
}

const close = (fake: FakeServer | undefined) =>
  new Promise<void>((resolve) => (fake ? fake.server.close(() => resolve()) : resolve()));

/**
 * The claim's answer is checked like the setup token: a claim server on the allow-list that answers
 * an Access URL naming another host (or one Dashtam cannot use) gets a clear 400, nothing is stored,
 * and the other host never hears from Dashtam — the claim cannot redirect Dashtam's reads.
 */
describe('linking with credentials: what a SimpleFIN claim answers', () => {
  let claim: FakeServer;
  let elsewhere: FakeServer;
  let stack: LinkingStack;
  let owner: SignedInUser;
  let providers: ProvidersApi;
  // What the claim server answers for the claim path `/claim/<name>`.
  const answers = new Map<string, string>();

  beforeAll(async () => {
    elsewhere = await listen(() => '{"errors":[],"accounts":[]}');
    claim = await listen((path) => answers.get(path.replace(/^\/claim\//, '')) ?? '');
    // Only the fake claim server is allowed: `elsewhere` is the same address on another port.
    stack = await startLinkingStack({
      app: { logLevel: 'trace' },
      providers: { simplefin: { allowedHosts: [{ host: '127.0.0.1', port: claim.port }] } },
    });
    owner = await createSignedInUser(stack.api);
    providers = new ProvidersApi(stack.api.url, owner.auth);
  });
  afterAll(async () => {
    await stack?.close();
    await close(claim);
    await close(elsewhere);
  });

  const tokenRows = async (providerId: string) =>
    stack.api.dataSource.query('SELECT 1 FROM provider_tokens WHERE connection_id = $1', [
      await connectionIdOf(stack.api.dataSource, providerId),
    ]);

  async function linkWithAnswer(name: string, accessUrl: string) {
    answers.set(name, accessUrl);
    const provider = await providers.created(`Answer ${name}`, 'simplefin');
    const output = captureProcessOutput();
    let res;
    try {
      res = await providers.linkCredentials(provider.id, {
        setup_token: setupTokenFor(`http://127.0.0.1:${claim.port}/claim/${name}`),
      });
    } finally {
      output.restore();
    }
    expect(claim.requests).toContain(`POST /claim/${name}`);
    // Nothing stored, still pending, and neither the answer nor its password in the body or a log line.
    expect(await tokenRows(provider.id)).toEqual([]);
    expect((await providers.get(provider.id).expect(200)).body.status).toBe('pending');
    expect(JSON.stringify(res.body)).not.toContain(PASSWORD);
    expect(output.lines.join('\n')).not.toContain(PASSWORD);
    return res;
  }

  it.each([
    ['another port on the allowed address', () => `http://user:${PASSWORD}@127.0.0.1:${elsewhere.port}/simplefin`],
    ['the claim port by another name', () => `http://user:${PASSWORD}@localhost:${claim.port}/simplefin`],
    ['plain http off loopback', () => `http://user:${PASSWORD}@bridge.example.com/simplefin`],
    ['an https host not on the list', () => `https://user:${PASSWORD}@bridge.example.com/simplefin`],
  ])('an Access URL naming %s: 400 PROVIDER.SETUP_TOKEN_HOST_NOT_ALLOWED, no request there', async (name, url) => {
    const res = await linkWithAnswer(name.replace(/\W+/g, '-'), url());
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'PROVIDER.SETUP_TOKEN_HOST_NOT_ALLOWED', status: 400 });
    expect(elsewhere.requests).toEqual([]);
  });

  it.each([
    ['without credentials', () => `http://127.0.0.1:${claim.port}/simplefin`],
    ['of another scheme', () => `ftp://user:${PASSWORD}@127.0.0.1:${claim.port}/simplefin`],
    ['of a script scheme', () => `javascript://user:${PASSWORD}@127.0.0.1/%0aalert(1)`],
  ])('an Access URL %s: 400 PROVIDER.CREDENTIALS_INVALID', async (name, url) => {
    const res = await linkWithAnswer(name.replace(/\W+/g, '-'), url());
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'PROVIDER.CREDENTIALS_INVALID', status: 400 });
    expect(elsewhere.requests).toEqual([]);
  });

  it('an answer that is no URL at all (a proxy page): 502 PROVIDER.UNAVAILABLE, the token may still be good', async () => {
    const res = await linkWithAnswer('html', `<html>Please sign in to the network ${PASSWORD}</html>`);
    expect(res.status).toBe(502);
    expect(res.body.code).toBe('PROVIDER.UNAVAILABLE');
  });

  it('the allowed claim server answering an allowed Access URL links (the same server reads the data)', async () => {
    answers.set('good', `http://user:${PASSWORD}@127.0.0.1:${claim.port}/simplefin`);
    const provider = await providers.created('Answer good', 'simplefin');
    await providers
      .linkCredentials(provider.id, { setup_token: setupTokenFor(`http://127.0.0.1:${claim.port}/claim/good`) })
      .expect(200);
    expect(await tokenRows(provider.id)).toHaveLength(1);
  });
});
