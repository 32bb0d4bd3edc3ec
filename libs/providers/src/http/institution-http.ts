import { ProviderError, type ProviderOperation } from '../provider.errors';

export interface InstitutionRequest {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
}

export interface InstitutionCallContext {
  providerKey: string;
  operation: ProviderOperation;
  timeoutMs: number;
}

export interface InstitutionResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON, or null when the body is empty or not JSON. */
  json: unknown;
  /** The body as text (SimpleFIN's claim answers a bare Access URL); may hold a secret, never log it. */
  text: string;
}

/**
 * One outbound HTTP exchange with an institution, bounded by one deadline that covers connecting,
 * the response head and the whole body. Redirects are not followed: an OAuth or API endpoint that
 * redirects is misbehaving, and following it could leave loopback when external calls are disabled.
 * Failures before a status line arrives become transient ProviderErrors; the caller interprets status.
 */
export async function sendInstitutionRequest(
  request: InstitutionRequest,
  context: InstitutionCallContext,
): Promise<InstitutionResponse> {
  const signal = AbortSignal.timeout(context.timeoutMs);
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      redirect: 'manual',
      signal,
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, json: parseJson(text), text };
  } catch (error) {
    const timedOut = signal.aborted || (error instanceof Error && error.name === 'TimeoutError');
    throw new ProviderError({
      providerKey: context.providerKey,
      operation: context.operation,
      classification: 'transient',
      kind: timedOut ? 'timeout' : 'network',
      // undici's errors name the host and the socket error, never the request body.
      cause: error,
    });
  }
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** Retry-After as delta-seconds or an HTTP date, in milliseconds from `now`; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (value === null || value.trim() === '') return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]', '::1']);

/** True for http(s) URLs whose host is the loopback interface (127.0.0.0/8, ::1, localhost). */
export function isLoopbackUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  if (LOOPBACK_HOSTS.has(host)) return true;
  const octets = host.split('.');
  return octets.length === 4 && octets[0] === '127' && octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255);
}
