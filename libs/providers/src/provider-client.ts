import type { ProviderAuthType, ProviderKey } from './provider-catalog';
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

/** Every auth type that has a client (`file` providers are filled by imports, never by calls). */
export type ClientAuthType = Exclude<ProviderAuthType, 'file'>;

/** The date range of a snapshot read: transactions posted in it, balances as of now. */
export interface SnapshotQuery {
  from: Date;
  to: Date;
}

/** Every account with its transactions, from one call (see ProviderClient.snapshot). */
export interface ProviderSnapshot {
  accounts: ProviderAccount[];
  /** Transactions by ProviderAccount.accountId. */
  transactions: Map<string, ProviderTransaction[]>;
  /** What the institution said went wrong on its side, sanitised: they become the sync's warnings. */
  warnings: string[];
}

/**
 * The data side every institution adapter implements, whatever the way it is linked. `credential` is
 * what the token vault hands out for the connection: an OAuth access token, a SimpleFIN Access URL,
 * an API key pair as JSON. Get instances from ProviderRegistry. Every method throws ProviderError
 * (classified permanent or transient) for anything but success, and every call has a deadline.
 */
export abstract class ProviderClient {
  abstract readonly key: ProviderKey;
  abstract readonly authType: ClientAuthType;

  abstract accountNumbers(credential: string): Promise<ProviderAccountNumber[]>;
  /** Every account with balances and positions. */
  abstract accounts(credential: string): Promise<ProviderAccount[]>;
  abstract transactions(credential: string, query: TransactionQuery): Promise<ProviderTransaction[]>;
  /**
   * Implemented by institutions that answer every account with its transactions in one call and count
   * calls (SimpleFIN): the sync engine then makes that one call instead of one per account.
   */
  snapshot?(credential: string, query: SnapshotQuery): Promise<ProviderSnapshot>;
}

/** An institution linked through OAuth 2.0's authorization-code flow (Schwab, the Sandbox). */
export abstract class OAuthProviderClient extends ProviderClient {
  override readonly authType = 'oauth2' as const;
  abstract readonly supportsPkce: boolean;
  abstract readonly supportsRevocation: boolean;

  /** The institution's consent page URL for this flow; pure, no I/O. */
  abstract authorizationUrl(params: AuthorizationUrlParams): string;
  abstract exchangeCode(params: ExchangeCodeParams): Promise<TokenSet>;
  abstract refresh(refreshToken: string): Promise<TokenSet>;
  /** RFC 7009; callers check `supportsRevocation` first. */
  abstract revoke(token: string, hint: RevokeTokenHint): Promise<void>;
}

/** What a person hands over to link a credential institution (`POST …/credentials`). */
export type CredentialInput =
  | { kind: 'setup_token'; setupToken: string }
  | { kind: 'api_key'; apiKeyId: string; apiSecret: string; environment: 'paper' | 'live' };

/** What linking proved and the vault keeps: the only form of the credential the data calls take. */
export interface LinkedCredential {
  secret: string;
}

/**
 * An institution linked with credentials in one call (SimpleFIN's setup token, Alpaca's API key). Its
 * credential does not expire and is never refreshed; it is stored in the same vault as access tokens.
 */
export abstract class CredentialProviderClient extends ProviderClient {
  abstract override readonly authType: 'setup_token' | 'api_key';

  /**
   * Proves the credentials against the institution and returns what the vault keeps. Refused
   * credentials throw ProviderError (operation `link`, permanent) or InvalidCredentialsError.
   */
  abstract link(input: CredentialInput): Promise<LinkedCredential>;
}

export function isOAuthClient(client: ProviderClient): client is OAuthProviderClient {
  return client.authType === 'oauth2';
}
