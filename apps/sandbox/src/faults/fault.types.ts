export const FAULT_ENDPOINTS = [
  'authorize',
  'token',
  'revoke',
  'accounts',
  'transactions',
  'alpaca_account',
  'alpaca_positions',
  'alpaca_activities',
  'simplefin_claim',
  'simplefin_info',
  'simplefin_accounts',
] as const;
export type FaultEndpoint = (typeof FAULT_ENDPOINTS)[number];

export const FAULT_MODES = [
  '5xx',
  '429',
  'timeout',
  'invalid_grant',
  'latency',
  'reset_after_commit',
  'expire_token',
] as const;
export type FaultMode = (typeof FAULT_MODES)[number];

/** Endpoints whose calls are counted: the fault endpoints plus the consent form's decision. */
export type CountedEndpoint = FaultEndpoint | 'consent';

/** Modes that only make sense on some endpoints (everything else applies to every endpoint). */
export const FAULT_MODE_ENDPOINTS: Partial<Record<FaultMode, readonly FaultEndpoint[]>> = {
  invalid_grant: ['token'],
  expire_token: ['accounts', 'transactions'],
};

export interface ArmedFault {
  endpoint: FaultEndpoint;
  mode: FaultMode;
  /** Calls still to be hit by this fault. */
  remaining: number;
  ms: number | undefined;
}

export const DEFAULT_LATENCY_MS = 1_000;
/** A held ("timeout") request is dropped after this unless the client gives up first. */
export const DEFAULT_TIMEOUT_HOLD_MS = 120_000;
