import { createHash, randomBytes } from 'node:crypto';

/** What a Schwab-speaking client does against the Sandbox, step by step, over real HTTP. */
export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

export interface HttpResult<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export const basicAuth = (id: string, secret: string): string =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

/** A PKCE pair computed here (RFC 7636 S256), independently of the Sandbox's own code. */
export function newPkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(48).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier, 'ascii').digest('base64url') };
}

async function result<T>(res: Response): Promise<HttpResult<T>> {
  const text = await res.text();
  let body: unknown = text;
  if ((res.headers.get('content-type') ?? '').includes('json') && text) body = JSON.parse(text);
  return { status: res.status, headers: res.headers, body: body as T, text };
}

export class OAuthTestClient {
  constructor(
    readonly baseUrl: string,
    readonly credentials: ClientCredentials,
  ) {}

  authorizeUrl(params: Record<string, string | undefined> = {}): string {
    const url = new URL('/v1/oauth/authorize', this.baseUrl);
    const all = {
      response_type: 'code',
      client_id: this.credentials.clientId,
      redirect_uri: this.credentials.redirectUri,
      ...params,
    };
    for (const [key, value] of Object.entries(all)) if (value !== undefined) url.searchParams.set(key, value);
    return url.toString();
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<HttpResult<string>> {
    return result(await fetch(url, { redirect: 'manual', headers }));
  }

  async postForm(
    path: string,
    form: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<HttpResult> {
    const res = await fetch(new URL(path, this.baseUrl), {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(form).toString(),
    });
    return result(res);
  }

  /** Opens the consent page and returns the pending request id its form carries. */
  async openConsent(
    params: Record<string, string | undefined> = {},
  ): Promise<{ page: HttpResult<string>; requestId: string }> {
    const page = await this.get(this.authorizeUrl(params));
    const match = /name="request_id" value="([^"]+)"/.exec(page.text);
    if (page.status !== 200 || !match) throw new Error(`no consent page (${page.status}): ${page.text.slice(0, 200)}`);
    return { page, requestId: match[1] };
  }

  decide(requestId: string, decision: string, username = 'sandbox-user'): Promise<HttpResult> {
    return this.postForm('/v1/oauth/consent', { request_id: requestId, decision, username });
  }

  /** Consent page → Approve → the redirect's query (code arrives URL-encoded, as from Schwab). */
  async approve(params: Record<string, string | undefined> = {}, username?: string): Promise<URLSearchParams> {
    const { requestId } = await this.openConsent({ state: 'st', ...params });
    const res = await this.decide(requestId, 'approve', username);
    if (res.status !== 302) throw new Error(`approve answered ${res.status}: ${res.text}`);
    return new URL(res.headers.get('location')!).searchParams;
  }

  token(form: Record<string, string>, authorization?: string | null): Promise<HttpResult<Record<string, unknown>>> {
    const auth = authorization === undefined ? this.basic() : authorization;
    return this.postForm('/v1/oauth/token', form, auth === null ? {} : { authorization: auth }) as Promise<
      HttpResult<Record<string, unknown>>
    >;
  }

  exchange(code: string, extra: Record<string, string> = {}): Promise<HttpResult<Record<string, unknown>>> {
    return this.token({ grant_type: 'authorization_code', code, redirect_uri: this.credentials.redirectUri, ...extra });
  }

  refresh(refreshToken: string): Promise<HttpResult<Record<string, unknown>>> {
    return this.token({ grant_type: 'refresh_token', refresh_token: refreshToken });
  }

  /** A fresh grant: consent, approve as `username`, exchange. Returns Schwab's token response. */
  async connect(username?: string): Promise<Tokens> {
    const code = (await this.approve({}, username)).get('code')!;
    const res = await this.exchange(code);
    if (res.status !== 200) throw new Error(`exchange answered ${res.status}: ${res.text}`);
    return res.body as unknown as Tokens;
  }

  revoke(form: Record<string, string>, authorization?: string | null): Promise<HttpResult> {
    const auth = authorization === undefined ? this.basic() : authorization;
    return this.postForm('/v1/oauth/revoke', form, auth === null ? {} : { authorization: auth });
  }

  async trader<T = unknown>(path: string, accessToken?: string): Promise<HttpResult<T>> {
    const headers: Record<string, string> = accessToken ? { authorization: `Bearer ${accessToken}` } : {};
    return result(await fetch(new URL(path, this.baseUrl), { headers }));
  }

  basic(): string {
    return basicAuth(this.credentials.clientId, this.credentials.clientSecret);
  }
}

export interface Tokens {
  expires_in: number;
  token_type: string;
  scope: string;
  refresh_token: string;
  access_token: string;
  id_token: string;
}
