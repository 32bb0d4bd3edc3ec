import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';

import Redis from 'ioredis';

import { getConfig } from '@dashtam/config';
import { redisKeys } from '@dashtam/platform';

import { startCallbackApp } from '../callback/start-callback-app';
import type { SandboxControlsClient } from '../sandbox/sandbox-controls.client';
import { type SandboxHandle, startSandbox } from '../sandbox/sandbox-test-harness';
import type { ProvidersApi } from './providers-api';
import type { ConfigOverrides } from '../config/test-config';
import { createTestApp, type TestApp } from './test-app';

export const PROVIDER_TIMEOUT_MS = 1_500;

/** The whole linking path on loopback: Sandbox institution, callback app (TLS) and the api. */
export interface LinkingStack {
  api: TestApp;
  sandbox: SandboxHandle;
  controls: SandboxControlsClient;
  callbackUrl: string;
  /** The redirect URI the api puts into authorization URLs (the callback app's `/callback`). */
  redirectUri: string;
  /** The secret the api expects in X-Callback-Secret (minted per run). */
  callbackSecret: string;
  redis: Redis;
  close: () => Promise<void>;
}

/**
 * Starts the Sandbox, the callback app over real TLS and the api, each on an ephemeral loopback port.
 * The api's configuration differs from the test environment's only where ports are involved: the
 * Sandbox's base URL and client secret (and it as Alpaca's base URL and the allowed SimpleFIN host), and the callback redirect URI and shared secret (plus
 * `apiConfig`, e.g. a log level, an institution timeout, or a database and Redis of the test's own).
 */
export async function startLinkingStack(apiConfig: ConfigOverrides = {}): Promise<LinkingStack> {
  const callbackSecret = `cb-${randomBytes(24).toString('base64url')}`;

  // The callback app must know the api's URL, which exists only once the api listens (and the api
  // must know the callback's redirect URI first): it is routed to the api after both start.
  const callbackApp = await startCallbackApp({ callback: { apiUrl: 'http://127.0.0.1:1', secret: callbackSecret } });
  const callbackUrl = callbackApp.url;
  const redirectUri = `${callbackUrl}/callback`;

  const { sandbox, controls } = await startSandbox({
    clientSecret: `sandbox-secret-${randomBytes(12).toString('hex')}`,
    redirectUris: [redirectUri],
    autoApprove: false,
  });

  const api = await createTestApp({
    config: {
      ...apiConfig,
      providers: {
        ...apiConfig.providers,
        // Short enough that a held ("timeout") Sandbox request fails the call within a test.
        httpTimeoutMs: apiConfig.providers?.httpTimeoutMs ?? PROVIDER_TIMEOUT_MS,
        sandbox: {
          baseUrl: sandbox.url,
          clientId: sandbox.options.clientId,
          clientSecret: sandbox.options.clientSecret,
        },
        // The Sandbox also plays Alpaca's Trading API (both environments on the one URL)…
        alpaca: { baseUrl: apiConfig.providers?.alpaca?.baseUrl ?? sandbox.url },
        // …and a SimpleFIN Bridge: its host and port are the allowed SimpleFIN host.
        simplefin: {
          ...apiConfig.providers?.simplefin,
          allowedHosts: apiConfig.providers?.simplefin?.allowedHosts ?? [
            { host: '127.0.0.1', port: Number(new URL(sandbox.url).port) },
          ],
        },
      },
      callback: { ...apiConfig.callback, redirectUri, secret: callbackSecret },
    },
  });
  callbackApp.routeTo(api.url);

  // The api's Redis, wherever the stack put it.
  const redis = new Redis(apiConfig.redis?.url ?? getConfig().redis.url!, { lazyConnect: true });
  // A fault suite stops that Redis: its reconnect attempts are not the test's concern.
  redis.on('error', () => undefined);
  await redis.connect();

  return {
    api,
    sandbox,
    controls,
    callbackUrl,
    redirectUri,
    callbackSecret,
    redis,
    close: async () => {
      await api.close();
      await callbackApp.close();
      await sandbox.close();
      await redis.quit();
    },
  };
}

export interface HttpAnswer {
  status: number;
  location: string | null;
  body: string;
}

/** A browser's GET without following redirects; trusts the development certificate for https. */
export function browserGet(url: string): Promise<HttpAnswer> {
  const target = new URL(url);
  if (target.protocol === 'http:') {
    return fetch(url, { redirect: 'manual' }).then(async (res) => ({
      status: res.status,
      location: res.headers.get('location'),
      body: await res.text(),
    }));
  }
  const ca = readFileSync(getConfig().tls.certFile);
  return new Promise((resolve, reject) => {
    httpsRequest(target, { ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          location: res.headers.location ?? null,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    })
      .on('error', reject)
      .end();
  });
}

/**
 * A person at the institution: opens the authorization URL, presses Approve (or Deny) on the
 * consent page, and is redirected. Returns where the institution sent the browser.
 */
export async function consentAtSandbox(
  authorizationUrl: string,
  decision: 'approve' | 'deny' = 'approve',
): Promise<URL> {
  const page = await browserGet(authorizationUrl);
  const requestId = /name="request_id" value="([^"]+)"/.exec(page.body)?.[1];
  const username = /name="username" value="([^"]*)"/.exec(page.body)?.[1] ?? 'sandbox-user';
  if (page.status !== 200 || !requestId) throw new Error(`no consent page (${page.status})`);
  const action = new URL('/v1/oauth/consent', authorizationUrl);
  const res = await fetch(action, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ request_id: requestId, username, decision }).toString(),
  });
  const location = res.headers.get('location');
  if (res.status !== 302 || !location) throw new Error(`consent answered ${res.status}`);
  return new URL(location);
}

/** The Redis key the OAuth state store keeps a state under (a digest: the state itself is never stored). */
export function stateKey(state: string): string {
  return redisKeys.oauthState(state);
}

/**
 * Links a provider the way a person does: authorization URL, Approve at the Sandbox, the browser
 * following the redirect to the callback app, which calls the api. Returns the callback page.
 */
export async function linkThroughBrowser(
  stack: LinkingStack,
  providers: ProvidersApi,
  providerId: string,
): Promise<HttpAnswer> {
  const started = await providers.authorize(providerId);
  if (started.status !== 201) throw new Error(`authorization answered ${started.status}`);
  const redirect = await consentAtSandbox((started.body as { authorization_url: string }).authorization_url);
  if (redirect.origin !== stack.callbackUrl) throw new Error(`redirected to ${redirect.origin}`);
  return browserGet(redirect.toString());
}
