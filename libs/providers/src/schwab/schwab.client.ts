import { sendInstitutionRequest } from '../http/institution-http';
import type { ProviderKey } from '../provider-catalog';
import {
  OAuthProviderClient,
  type AuthorizationUrlParams,
  type ExchangeCodeParams,
  type RevokeTokenHint,
  type TokenSet,
  type TransactionQuery,
} from '../provider-client';
import type { ProviderAccount, ProviderAccountNumber, ProviderTransaction } from '../provider-data.types';
import { ProviderError, type ProviderOperation } from '../provider.errors';
import { normalizeAuthorizationCode } from './authorization-code';
import { dataErrorFromResponse, oauthErrorFromResponse } from './schwab-error.parser';
import { toAccountNumbers, toAccountNicknames, toAccounts, toTokenSet, toTransactions } from './schwab.mapper';
import { SCHWAB_TRANSACTION_TYPES } from './schwab.types';

export interface SchwabClientOptions {
  /** Which catalog entry this instance serves (`schwab`, or `sandbox` for the local fake). */
  key: ProviderKey;
  /** Scheme + host (+ port), no trailing slash: `https://api.schwabapi.com`. */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  timeoutMs: number;
  supportsPkce: boolean;
  supportsRevocation: boolean;
  now?: () => Date;
}

/** Schwab answers at most this many transactions per call; a full page means "narrow the range". */
export const SCHWAB_TRANSACTIONS_PAGE_LIMIT = 3000;
// Halving a full page's range stops here: below a second there is nothing left to split.
const MIN_SPLIT_MS = 1000;

/**
 * Schwab's OAuth 2.0 authorization-code flow and Trader API. The Sandbox institution speaks the same
 * protocol, so the registry points a second instance of this class at it.
 */
export class SchwabClient extends OAuthProviderClient {
  readonly key: ProviderKey;
  readonly supportsPkce: boolean;
  readonly supportsRevocation: boolean;
  private readonly now: () => Date;

  constructor(private readonly options: SchwabClientOptions) {
    super();
    this.key = options.key;
    this.supportsPkce = options.supportsPkce;
    this.supportsRevocation = options.supportsRevocation;
    this.now = options.now ?? (() => new Date());
  }

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  authorizationUrl(params: AuthorizationUrlParams): string {
    const url = new URL(`${this.options.baseUrl}/v1/oauth/authorize`);
    url.searchParams.set('client_id', this.options.clientId);
    url.searchParams.set('redirect_uri', params.redirectUri);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('state', params.state);
    if (this.supportsPkce && params.codeChallenge) {
      url.searchParams.set('code_challenge', params.codeChallenge);
      url.searchParams.set('code_challenge_method', 'S256');
    }
    return url.toString();
  }

  exchangeCode(params: ExchangeCodeParams): Promise<TokenSet> {
    const form = new URLSearchParams({
      grant_type: 'authorization_code',
      code: normalizeAuthorizationCode(params.code),
      redirect_uri: params.redirectUri,
    });
    if (this.supportsPkce && params.codeVerifier) form.set('code_verifier', params.codeVerifier);
    return this.tokenRequest(form, 'token');
  }

  refresh(refreshToken: string): Promise<TokenSet> {
    return this.tokenRequest(
      new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }),
      'refresh',
    );
  }

  async revoke(token: string, hint: RevokeTokenHint): Promise<void> {
    const response = await sendInstitutionRequest(
      {
        url: `${this.options.baseUrl}/v1/oauth/revoke`,
        method: 'POST',
        headers: this.formHeaders(),
        body: new URLSearchParams({ token, token_type_hint: hint }).toString(),
      },
      this.context('revoke'),
    );
    if (response.status !== 200) throw oauthErrorFromResponse(this.key, 'revoke', response);
  }

  async accountNumbers(accessToken: string): Promise<ProviderAccountNumber[]> {
    return toAccountNumbers(await this.getJson(accessToken, '/trader/v1/accounts/accountNumbers'));
  }

  async accounts(accessToken: string): Promise<ProviderAccount[]> {
    const asOf = this.now();
    // userPreference is the only place that tells an IRA from an individual account (both are CASH).
    const [numbers, accounts, preferences] = await Promise.all([
      this.accountNumbers(accessToken),
      this.getJson(accessToken, '/trader/v1/accounts?fields=positions'),
      this.getJson(accessToken, '/trader/v1/userPreference'),
    ]);
    return toAccounts(accounts, numbers, asOf, toAccountNicknames(preferences));
  }

  async transactions(accessToken: string, query: TransactionQuery): Promise<ProviderTransaction[]> {
    const byId = new Map<string, ProviderTransaction>();
    await this.collectTransactions(accessToken, query.accountId, query.from.getTime(), query.to.getTime(), byId);
    return [...byId.values()].sort((a, b) => a.date.localeCompare(b.date));
  }

  private async collectTransactions(
    accessToken: string,
    accountId: string,
    from: number,
    to: number,
    into: Map<string, ProviderTransaction>,
  ): Promise<void> {
    const params = new URLSearchParams({
      startDate: new Date(from).toISOString(),
      endDate: new Date(to).toISOString(),
      types: SCHWAB_TRANSACTION_TYPES.join(','),
    });
    const path = `/trader/v1/accounts/${encodeURIComponent(accountId)}/transactions?${params.toString()}`;
    const page = await this.getJson(accessToken, path);
    if (Array.isArray(page) && page.length >= SCHWAB_TRANSACTIONS_PAGE_LIMIT && to - from > MIN_SPLIT_MS) {
      const middle = from + Math.floor((to - from) / 2);
      await this.collectTransactions(accessToken, accountId, from, middle, into);
      await this.collectTransactions(accessToken, accountId, middle, to, into);
      return;
    }
    for (const transaction of toTransactions(page)) into.set(transaction.providerTransactionId, transaction);
  }

  private async tokenRequest(form: URLSearchParams, operation: ProviderOperation): Promise<TokenSet> {
    const response = await sendInstitutionRequest(
      {
        url: `${this.options.baseUrl}/v1/oauth/token`,
        method: 'POST',
        headers: this.formHeaders(),
        body: form.toString(),
      },
      this.context(operation),
    );
    if (response.status !== 200) throw oauthErrorFromResponse(this.key, operation, response);
    const tokens = toTokenSet(response.json);
    if (!tokens) throw this.invalidResponse(operation, response.status);
    return tokens;
  }

  private async getJson(accessToken: string, path: string): Promise<unknown> {
    const response = await sendInstitutionRequest(
      {
        url: `${this.options.baseUrl}${path}`,
        method: 'GET',
        headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
      },
      this.context('data'),
    );
    if (response.status !== 200) throw dataErrorFromResponse(this.key, response);
    if (response.json === null) throw this.invalidResponse('data', response.status);
    return response.json;
  }

  /** RFC 6749 §2.3.1: both parts form-encoded, then base64 — what Schwab's token endpoint expects. */
  private formHeaders(): Record<string, string> {
    const credentials = `${encodeURIComponent(this.options.clientId)}:${encodeURIComponent(this.options.clientSecret)}`;
    return {
      authorization: `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    };
  }

  private context(operation: ProviderOperation) {
    return { providerKey: this.key, operation, timeoutMs: this.options.timeoutMs };
  }

  // A 200 without the expected body: the institution misbehaved; nothing is known about the grant.
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
