import type { ProviderKey } from './provider-catalog';
import type { ProviderAccount, ProviderAccountNumber, ProviderTransaction } from './provider-data.types';

export interface AuthorizationUrlParams {
  state: string;
  /** Sent byte for byte; institutions compare it exactly with the registered one. */
  redirectUri: string;
  /** S256 challenge; ignored by clients that do not support PKCE. */
  codeChallenge?: string;
}

export interface ExchangeCodeParams {
  code: string;
  redirectUri: string;
  codeVerifier?: string;
}

/** What a token endpoint answered, normalised. Secrets in here never reach a log line or an error. */
export interface TokenSet {
  accessToken: string;
  /** null when the institution returned none (keep the stored one on refresh). */
  refreshToken: string | null;
  idToken: string | null;
  tokenType: string;
  expiresInSeconds: number | null;
  scope: string | null;
  /** Only when the institution says so; otherwise the catalog's refresh-token lifetime applies. */
  refreshTokenExpiresInSeconds: number | null;
}

export type RevokeTokenHint = 'access_token' | 'refresh_token';

export interface TransactionQuery {
  /** The institution's opaque account id (Schwab: the account's hashValue). */
  accountId: string;
  from: Date;
  to: Date;
}

/**
 * The one port every institution adapter implements. An instance is bound to one institution's base
 * URL and client credentials; get it from ProviderRegistry. Every method throws ProviderError
 * (classified permanent or transient) for anything but success, and every call has a deadline.
 */
export abstract class ProviderClient {
  abstract readonly key: ProviderKey;
  abstract readonly supportsPkce: boolean;
  abstract readonly supportsRevocation: boolean;

  /** The institution's consent page URL for this flow; pure, no I/O. */
  abstract authorizationUrl(params: AuthorizationUrlParams): string;
  abstract exchangeCode(params: ExchangeCodeParams): Promise<TokenSet>;
  abstract refresh(refreshToken: string): Promise<TokenSet>;
  /** RFC 7009; callers check `supportsRevocation` first. */
  abstract revoke(token: string, hint: RevokeTokenHint): Promise<void>;

  abstract accountNumbers(accessToken: string): Promise<ProviderAccountNumber[]>;
  /** Every account with balances and positions. */
  abstract accounts(accessToken: string): Promise<ProviderAccount[]>;
  abstract transactions(accessToken: string, query: TransactionQuery): Promise<ProviderTransaction[]>;
}
