import { sendInstitutionRequest, type InstitutionResponse } from '../http/institution-http';
import {
  type CredentialInput,
  CredentialProviderClient,
  type LinkedCredential,
  type TransactionQuery,
} from '../provider-client';
import type { ProviderAccount, ProviderAccountNumber, ProviderTransaction } from '../provider-data.types';
import { InvalidCredentialsError, ProviderError, type ProviderOperation } from '../provider.errors';
import { identifier, LIMITS, list } from '../schwab/wire-values';
import { toTransactions } from './alpaca-activity.mapper';
import {
  type AlpacaCredentials,
  type AlpacaEnvironment,
  readAlpacaSecret,
  sealableAlpacaSecret,
  validAlpacaCredentials,
} from './alpaca-credentials';
import { AlpacaSecretUnreadableError, alpacaErrorFromResponse } from './alpaca.errors';
import { toAccountNumbers, toAccounts } from './alpaca.mapper';

/** Alpaca's Trading API hosts. `ALPACA_BASE_URL` (the Sandbox in development and tests) replaces both. */
export const ALPACA_HOSTS: Readonly<Record<AlpacaEnvironment, string>> = {
  paper: 'https://paper-api.alpaca.markets',
  live: 'https://api.alpaca.markets',
};

/** Alpaca's largest activities page; a full page means there may be more after its last id. */
export const ALPACA_ACTIVITIES_PAGE_SIZE = 100;
// A bound on one window's paging (1,000,000 activities): an institution that keeps answering full
// pages with new ids cannot keep a sync busy for ever.
const MAX_ACTIVITY_PAGES = 10_000;

export interface AlpacaClientOptions {
  /** Scheme + host (+ port), no trailing slash. Empty or absent: the real host of each environment. */
  baseUrl?: string | null;
  timeoutMs: number;
  now?: () => Date;
}

/**
 * Alpaca's Trading API v2 with an API key pair (no OAuth): the keys prove themselves on
 * `GET /v2/account`, the vault keeps them as one secret string, and every data call sends them as
 * `APCA-API-KEY-ID` / `APCA-API-SECRET-KEY`. Nothing here logs or puts a key in an error.
 */
export class AlpacaClient extends CredentialProviderClient {
  readonly key = 'alpaca' as const;
  readonly authType = 'api_key' as const;
  private readonly now: () => Date;

  constructor(private readonly options: AlpacaClientOptions) {
    super();
    this.now = options.now ?? (() => new Date());
  }

  /** Where an environment's calls go. */
  baseUrlFor(environment: AlpacaEnvironment): string {
    return this.options.baseUrl ? this.options.baseUrl.replace(/\/+$/, '') : ALPACA_HOSTS[environment];
  }

  /**
   * Proves the keys with one `GET /v2/account` and returns the secret the vault stores. Malformed keys
   * (never sent): InvalidCredentialsError; refused ones (401/403): a permanent `link` ProviderError —
   * both `PROVIDER.CREDENTIALS_*`, a 400 to the person. Anything that says nothing about the keys
   * (network, timeout, 429, 5xx, a 200 without an account) is a transient `link` ProviderError.
   */
  async link(input: CredentialInput): Promise<LinkedCredential> {
    if (input.kind !== 'api_key') throw new InvalidCredentialsError(this.key, 'an API key pair is required');
    const credentials = validAlpacaCredentials(input);
    if (!credentials) throw new InvalidCredentialsError(this.key, 'malformed keys or environment, not sent');
    const response = await this.send(credentials, '/v2/account', 'link');
    if (response.status !== 200) throw alpacaErrorFromResponse('link', response, this.now().getTime());
    // 200 with no account in it: not Alpaca (a captive portal, a misrouted base URL) — try again later.
    if (toAccountNumbers(response.json).length === 0) throw this.invalidResponse('link', response.status);
    return { secret: sealableAlpacaSecret(credentials) };
  }

  async accountNumbers(secret: string): Promise<ProviderAccountNumber[]> {
    return toAccountNumbers(await this.getJson(credentialsOf(secret), '/v2/account'));
  }

  /** The one account a key pair reaches, with its positions. */
  async accounts(secret: string): Promise<ProviderAccount[]> {
    const credentials = credentialsOf(secret);
    const asOf = this.now();
    const [account, positions] = await Promise.all([
      this.getJson(credentials, '/v2/account'),
      this.getJson(credentials, '/v2/positions'),
    ]);
    return toAccounts(account, positions, credentials.environment, asOf);
  }

  /**
   * Every activity in [from, to], oldest first, following `page_token` through all pages. A key pair
   * reaches one account, so `query.accountId` only documents the call.
   */
  async transactions(secret: string, query: TransactionQuery): Promise<ProviderTransaction[]> {
    const credentials = credentialsOf(secret);
    const raw: unknown[] = [];
    let pageToken: string | null = null;
    for (let page = 0; ; page++) {
      if (page >= MAX_ACTIVITY_PAGES) throw this.invalidResponse('data', 200);
      const params = new URLSearchParams({
        after: query.from.toISOString(),
        until: query.to.toISOString(),
        direction: 'asc',
        page_size: String(ALPACA_ACTIVITIES_PAGE_SIZE),
      });
      if (pageToken !== null) params.set('page_token', pageToken);
      const items = list(await this.getJson(credentials, `/v2/account/activities?${params.toString()}`));
      raw.push(...items);
      if (items.length < ALPACA_ACTIVITIES_PAGE_SIZE) break;
      const last = identifier((items[items.length - 1] as { id?: unknown } | null)?.id, LIMITS.providerId);
      // Without a new last id there is no next page to ask for: the answer is not Alpaca's paging.
      if (last === null || last === pageToken) throw this.invalidResponse('data', 200);
      pageToken = last;
    }
    return toTransactions(raw).sort((a, b) => a.date.localeCompare(b.date));
  }

  private async getJson(credentials: AlpacaCredentials, path: string): Promise<unknown> {
    const response = await this.send(credentials, path, 'data');
    if (response.status !== 200) throw alpacaErrorFromResponse('data', response, this.now().getTime());
    if (response.json === null) throw this.invalidResponse('data', response.status);
    return response.json;
  }

  private send(
    credentials: AlpacaCredentials,
    path: string,
    operation: ProviderOperation,
  ): Promise<InstitutionResponse> {
    return sendInstitutionRequest(
      {
        url: `${this.baseUrlFor(credentials.environment)}${path}`,
        method: 'GET',
        headers: {
          'APCA-API-KEY-ID': credentials.apiKeyId,
          'APCA-API-SECRET-KEY': credentials.apiSecret,
          accept: 'application/json',
        },
      },
      { providerKey: this.key, operation, timeoutMs: this.options.timeoutMs },
    );
  }

  // A 200 without the expected body: the institution misbehaved; nothing is known about the keys.
  private invalidResponse(operation: ProviderOperation, status: number): ProviderError {
    return new ProviderError({
      providerKey: this.key,
      operation,
      classification: 'transient',
      kind: 'invalid_response',
      status,
    });
  }
}

function credentialsOf(secret: string): AlpacaCredentials {
  const credentials = readAlpacaSecret(secret);
  if (!credentials) throw new AlpacaSecretUnreadableError();
  return credentials;
}
