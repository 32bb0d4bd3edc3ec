import type { AllowedHost } from '@dashtam/config';

import { isLoopbackUrl } from '../http/institution-http';

/** A URL Dashtam may call at a SimpleFIN server, split into where it goes and the Basic credentials. */
export interface SimplefinTarget {
  /** Scheme, host, port and path; never userinfo, query or fragment. */
  url: string;
  /** `host:port` as parsed, for messages (no path, no userinfo). */
  hostPort: string;
  /** Decoded userinfo of an Access URL; null for a claim URL. */
  basicAuth: { username: string; password: string } | null;
}

/** The allow-list entries usable here: only loopback ones while external calls are disabled. */
export function allowedSimplefinHosts(hosts: readonly AllowedHost[], disableExternalCalls: boolean): AllowedHost[] {
  return disableExternalCalls ? hosts.filter((entry) => isLoopbackUrl(`http://${entry.host}`)) : [...hosts];
}

/**
 * Parses `raw` and says whether its host and port are on the allow-list. Matched on what the WHATWG
 * URL parser makes of the host (lower case, IDNA, IPv4 forms such as `2130706433` normalised), never
 * on the text; the effective port counts (`https://host` is 443). Plain `http` is taken only on
 * loopback (the Sandbox); a real Bridge is HTTPS. Returns null when the URL is unusable at all
 * (InvalidCredentialsError to the caller), `{ allowed: false }` for a well-formed URL elsewhere.
 */
export function parseSimplefinUrl(
  raw: string,
  allowed: readonly AllowedHost[],
): { allowed: true; target: SimplefinTarget } | { allowed: false; hostPort: string } | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  const host = url.hostname.toLowerCase();
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  const hostPort = `${host}:${port}`;
  if (url.protocol === 'http:' && !isLoopbackUrl(url.href)) return { allowed: false, hostPort };
  if (!allowed.some((entry) => entry.host === host && entry.port === port)) return { allowed: false, hostPort };
  const basicAuth =
    url.username === '' && url.password === ''
      ? null
      : { username: safeDecode(url.username), password: safeDecode(url.password) };
  const path = url.pathname.replace(/\/+$/, '');
  return { allowed: true, target: { url: `${url.protocol}//${url.host}${path}`, hostPort, basicAuth } };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
