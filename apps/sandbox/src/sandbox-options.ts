import type { DashtamConfig } from '@dashtam/config';

export type RotationMode = 'rotating' | 'static';

/** Everything one Sandbox instance needs; built from validated config, overridable by tests. */
export interface SandboxOptions {
  /** The one registered OAuth client (Schwab's "App Key" / "Secret"). */
  clientId: string;
  clientSecret: string;
  /** Registered redirect URIs, matched exactly (no prefix, no normalisation). */
  redirectUris: string[];
  accessTtlSeconds: number;
  refreshTtlSeconds: number;
  codeTtlSeconds: number;
  rotation: RotationMode;
  /** Rotating: how long a rotated-out refresh token still redeems once more (0 = never). */
  reuseGraceSeconds: number;
  /** Mounts `/__sandbox/*`; without it those paths are plain 404s. */
  controls: boolean;
  /** Skip the consent page: every valid authorize request is approved as `user`. */
  autoApprove: boolean;
  /** The test user who approves automatically and is pre-filled on the consent page. */
  user: string;
  /** Seeds every generated account, position and transaction. */
  seed: string;
  transactionsPerAccount: number;
  /** Schwab answers at most 3000 transactions per call. */
  transactionsPageLimit: number;
}

export const SCHWAB_TRANSACTIONS_PAGE_LIMIT = 3000;
export const MAX_TRANSACTIONS_PER_ACCOUNT = 100_000;

export function sandboxOptionsFromConfig(config: DashtamConfig): SandboxOptions {
  const sandbox = config.sandbox;
  return {
    clientId: sandbox.clientId,
    clientSecret: sandbox.clientSecret,
    redirectUris: [...new Set([config.callback.redirectUri, ...sandbox.redirectUris])],
    accessTtlSeconds: sandbox.accessTtlSeconds,
    refreshTtlSeconds: sandbox.refreshTtlSeconds,
    codeTtlSeconds: sandbox.codeTtlSeconds,
    rotation: sandbox.rotation,
    reuseGraceSeconds: sandbox.reuseGraceSeconds,
    controls: sandbox.controls,
    autoApprove: sandbox.autoApprove,
    user: sandbox.user,
    seed: sandbox.seed,
    transactionsPerAccount: sandbox.transactionsPerAccount,
    transactionsPageLimit: SCHWAB_TRANSACTIONS_PAGE_LIMIT,
  };
}
