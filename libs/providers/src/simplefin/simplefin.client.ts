import type { AllowedHost } from '@dashtam/config';

import { parseRetryAfter, sendInstitutionRequest, type InstitutionResponse } from '../http/institution-http';
import type { ProviderKey } from '../provider-catalog';
import {
  CredentialProviderClient,
  type CredentialInput,
  type LinkedCredential,
  type ProviderSnapshot,
  type SnapshotQuery,
  type TransactionQuery,
} from '../provider-client';
import type { ProviderAccount, ProviderAccountNumber, ProviderTransaction } from '../provider-data.types';
import {
  InvalidCredentialsError,
  ProviderError,
  type ProviderOperation,
  SetupTokenHostNotAllowedError,
  StoredCredentialUnreadableError,
} from '../provider.errors';
import { claimUrlOf } from './setup-token';
import { parseSimplefinUrl, type SimplefinTarget } from './simplefin-hosts';
import { mapAccountSet } from './simplefin.mapper';

export interface SimplefinClientOptions {
  key: ProviderKey;
  /** Already narrowed to what is usable here (see allowedSimplefinHosts). */
  allowedHosts: readonly AllowedHost[];
  timeoutMs: number;
  now?: () => Date;
}

/** What `GET /info` answers: the protocol versions the server speaks. */
export interface SimplefinInfo {
  versions: string[];
}

// An Access URL is a URL with credentials; anything longer is not one.
const MAX_ACCESS_URL_LENGTH = 2048;

/**
 * The SimpleFIN protocol (https://www.simplefin.org/protocol.html): a setup token is claimed once for
 * an Access URL (`https://user:pass@host/path`), which then reads `GET /accounts` with HTTP Basic.
 * Every URL, the setup token's and the Access URL a claim returns alike, must name an allowed host
 * and port before any request is made to it. No URL with its userinfo, no setup token and no Access
 * URL ever reaches an error message (they only name `host:port`).
 */
export class SimplefinClient extends CredentialProviderClient {
  readonly key: ProviderKey;
  readonly authType = 'setup_token' as const;
  private readonly now: () => Date;

  constructor(private readonly options: SimplefinClientOptions) {
    super();
    this.key = options.key;
    this.now = options.now ?? (() => new Date());
  }

  /** Claims the setup token (a POST with an empty body) and returns the Access URL it answers. */
  async link(input: CredentialInput): Promise<LinkedCredential> {
    if (input.kind !== 'setup_token') throw new InvalidCredentialsError(this.key, 'a setup token is required');
    const claimUrl = claimUrlOf(input.setupToken);
    if (claimUrl === null) throw new InvalidCredentialsError(this.key, 'not a SimpleFIN setup token');
    const claim = this.target(claimUrl);
    if (claim.basicAuth !== null) throw new InvalidCredentialsError(this.key, 'the claim URL carries credentials');
    const response = await sendInstitutionRequest(
      { url: claim.url, method: 'POST', headers: { 'content-length': '0', accept: 'text/plain' }, body: '' },
      this.context('link'),
    );
    if (response.status !== 200) throw this.failure('link', response);
    const accessUrl = response.text.trim();
    // Not a URL at all (a proxy's or captive portal's page): the Bridge may never have seen the token.
    if (accessUrl.length > MAX_ACCESS_URL_LENGTH || !URL.canParse(accessUrl)) {
      throw this.failure('link', response, 'invalid_response');
    }
    // The claim's answer names where the data will be read: the same allow-list applies to it. A URL
    // Dashtam cannot use (another scheme, no credentials) is the token's fault, not an outage: 4xx.
    this.accessTarget(
      accessUrl,
      () => new InvalidCredentialsError(this.key, 'the claim answered an Access URL Dashtam cannot use'),
    );
    return { secret: accessUrl };
  }

  async info(accessUrl: string): Promise<SimplefinInfo> {
    const access = this.accessTarget(accessUrl);
    const response = await sendInstitutionRequest(
      { url: `${access.url}/info`, method: 'GET', headers: { accept: 'application/json' } },
      this.context('data'),
    );
    if (response.status !== 200) throw this.failure('data', response);
    const versions = (response.json as { versions?: unknown } | null)?.versions;
    if (!Array.isArray(versions)) throw this.failure('data', response, 'invalid_response');
    return { versions: versions.filter((v): v is string => typeof v === 'string').slice(0, 20) };
  }

  /** Every account with its transactions posted in the window (pending ones included): one call. */
  override async snapshot(accessUrl: string, query: SnapshotQuery): Promise<ProviderSnapshot> {
    return this.readAccounts(accessUrl, {
      'start-date': unixSeconds(query.from),
      'end-date': unixSeconds(query.to),
      pending: '1',
    });
  }

  async accounts(accessUrl: string): Promise<ProviderAccount[]> {
    return (await this.readAccounts(accessUrl, { 'balances-only': '1' })).accounts;
  }

  async accountNumbers(accessUrl: string): Promise<ProviderAccountNumber[]> {
    // SimpleFIN never shows account numbers: the mask is all there is.
    return (await this.accounts(accessUrl)).map((account) => ({
      accountNumber: account.mask ?? '',
      accountId: account.accountId!,
    }));
  }

  async transactions(accessUrl: string, query: TransactionQuery): Promise<ProviderTransaction[]> {
    const snapshot = await this.readAccounts(accessUrl, {
      account: query.accountId,
      'start-date': unixSeconds(query.from),
      'end-date': unixSeconds(query.to),
      pending: '1',
    });
    return snapshot.transactions.get(query.accountId) ?? [];
  }

  private async readAccounts(accessUrl: string, params: Record<string, string>): Promise<ProviderSnapshot> {
    const access = this.accessTarget(accessUrl);
    const url = new URL(`${access.url}/accounts`);
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
    const response = await sendInstitutionRequest(
      { url: url.href, method: 'GET', headers: { accept: 'application/json', authorization: basic(access) } },
      this.context('data'),
    );
    if (response.status !== 200) throw this.failure('data', response);
    if (response.json === null || typeof response.json !== 'object' || Array.isArray(response.json)) {
      throw this.failure('data', response, 'invalid_response');
    }
    return mapAccountSet(response.json, this.now());
  }

  /** An allowed URL, or the right error; never a request to anywhere else. */
  private target(raw: string): SimplefinTarget {
    const parsed = parseSimplefinUrl(raw, this.options.allowedHosts);
    if (parsed === null) throw new InvalidCredentialsError(this.key, 'not a usable SimpleFIN URL');
    if (!parsed.allowed) throw new SetupTokenHostNotAllowedError(this.key, parsed.hostPort);
    return parsed.target;
  }

  private accessTarget(accessUrl: string, unusable?: () => Error): SimplefinTarget {
    const parsed = parseSimplefinUrl(accessUrl, this.options.allowedHosts);
    if (parsed !== null && !parsed.allowed) throw new SetupTokenHostNotAllowedError(this.key, parsed.hostPort);
    if (parsed === null || parsed.target.basicAuth === null) {
      throw unusable?.() ?? new StoredCredentialUnreadableError(this.key);
    }
    return parsed.target;
  }

  /**
   * 403 on a claim: already claimed or never issued; on a read: access withdrawn (the person must link
   * again). 402: the Bridge subscription lapsed. Both permanent; 429 and 5xx transient.
   */
  private failure(
    operation: ProviderOperation,
    response: InstitutionResponse,
    kind: 'http_status' | 'invalid_response' = 'http_status',
  ): ProviderError {
    const status = response.status;
    const permanent = kind === 'http_status' && status >= 400 && status < 500 && status !== 429 && status !== 408;
    return new ProviderError({
      providerKey: this.key,
      operation,
      classification: permanent ? 'permanent' : 'transient',
      kind,
      status: kind === 'http_status' ? status : null,
      retryAfterMs: status === 429 || status === 503 ? parseRetryAfter(response.headers.get('retry-after')) : null,
    });
  }

  private context(operation: ProviderOperation) {
    return { providerKey: this.key, operation, timeoutMs: this.options.timeoutMs };
  }
}

function basic(target: SimplefinTarget): string {
  const { username, password } = target.basicAuth!;
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

function unixSeconds(date: Date): string {
  return String(Math.floor(date.getTime() / 1000));
}
