import { SchwabClient, type SchwabClientOptions } from './schwab.client';

const OPTIONS: SchwabClientOptions = {
  key: 'schwab',
  baseUrl: 'https://api.schwabapi.com',
  clientId: 'AppKey123',
  clientSecret: 'app-secret',
  timeoutMs: 5000,
  supportsPkce: false,
  supportsRevocation: false,
};
const REDIRECT = 'https://127.0.0.1:8182/callback';

describe('SchwabClient.authorizationUrl', () => {
  it('points at /v1/oauth/authorize with client_id, the exact redirect_uri, response_type=code and state', () => {
    const url = new URL(new SchwabClient(OPTIONS).authorizationUrl({ state: 'st4te_-x', redirectUri: REDIRECT }));
    expect(`${url.origin}${url.pathname}`).toBe('https://api.schwabapi.com/v1/oauth/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: 'AppKey123',
      redirect_uri: REDIRECT,
      response_type: 'code',
      state: 'st4te_-x',
    });
  });

  it('never sends the client secret in the browser URL', () => {
    expect(new SchwabClient(OPTIONS).authorizationUrl({ state: 's', redirectUri: REDIRECT })).not.toContain(
      'app-secret',
    );
  });

  it('adds an S256 challenge only where PKCE is supported', () => {
    const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
    const plain = new URL(
      new SchwabClient(OPTIONS).authorizationUrl({ state: 's', redirectUri: REDIRECT, codeChallenge: challenge }),
    );
    expect(plain.searchParams.has('code_challenge')).toBe(false);
    const pkce = new URL(
      new SchwabClient({
        ...OPTIONS,
        key: 'sandbox',
        baseUrl: 'http://127.0.0.1:8183',
        supportsPkce: true,
      }).authorizationUrl({ state: 's', redirectUri: REDIRECT, codeChallenge: challenge }),
    );
    expect(pkce.origin).toBe('http://127.0.0.1:8183');
    expect(pkce.searchParams.get('code_challenge')).toBe(challenge);
    expect(pkce.searchParams.get('code_challenge_method')).toBe('S256');
  });

  it('keeps a redirect URI with a query and odd characters byte-for-byte after decoding', () => {
    const odd = 'https://cb.example.com/callback?tenant=a b&x=%2F';
    const url = new URL(new SchwabClient(OPTIONS).authorizationUrl({ state: 's', redirectUri: odd }));
    expect(url.searchParams.get('redirect_uri')).toBe(odd);
  });
});
