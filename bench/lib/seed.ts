import { randomBytes } from 'node:crypto';

import { EmlDirectoryMailbox, tokenFromLink, waitForMail } from '@dashtam/testing';

export const PROVIDERS_PER_USER = 5;
const SEED_CONCURRENCY = 4;

/** A seeded user as the load sees it: a token, five providers, one of them linked (it holds tokens). */
export interface SeededUser {
  email: string;
  accessToken: string;
  providerIds: string[];
  linkedProviderId: string;
}

export interface Seed {
  users: SeededUser[];
  // BENCH HOOK (issue: financial data): the transactions-page and portfolio-summary scenarios need a user
  // with 10,000 transactions and one with 10 accounts and 200 positions, written through the product's
  // repositories (AccountsRepository, PositionsRepository, TransactionsRepository) — add them here.
}

async function call(
  apiUrl: string,
  method: string,
  path: string,
  body?: object,
  accessToken?: string,
): Promise<Record<string, unknown>> {
  const res = await fetch(`${apiUrl}${path}`, {
    method,
    headers: {
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 300)}`);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

/**
 * Links a provider the way a person does in production (CALLBACK_MODE=forward): start the authorization,
 * let the institution (the Sandbox, approving by itself) redirect with a code, and complete with the
 * user's own token as the frontend would.
 */
async function link(apiUrl: string, accessToken: string, providerId: string): Promise<void> {
  const started = await call(apiUrl, 'POST', `/api/v1/providers/${providerId}/authorization`, undefined, accessToken);
  const consent = await fetch(String(started.authorization_url), { redirect: 'manual' });
  const location = new URL(consent.headers.get('location') ?? 'x:');
  const code = location.searchParams.get('code');
  const state = location.searchParams.get('state');
  if (!code || !state) throw new Error(`the institution answered ${consent.status} without a code`);
  await call(apiUrl, 'POST', '/api/v1/oauth/completions', { state, code }, accessToken);
}

const SYNC_WAIT_MS = 180_000;
const NO_SYNC_GRACE_MS = 5_000;

/**
 * Linking queues the first sync of the provider's accounts: wait until it has finished, so no sync runs
 * under the load the bench measures (the sync rows measure syncs on their own).
 */
async function syncsSettled(apiUrl: string, accessToken: string, providerId: string): Promise<void> {
  const started = Date.now();
  for (;;) {
    const res = await fetch(`${apiUrl}/api/v1/providers/${providerId}/syncs`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    if (res.status === 404) return;
    const page = (await res.json()) as { items?: Array<{ status: string }> };
    const items = page.items ?? [];
    const open = items.some((sync) => sync.status === 'queued' || sync.status === 'running');
    if (items.length > 0 && !open) return;
    if (items.length === 0 && Date.now() - started > NO_SYNC_GRACE_MS) return;
    if (Date.now() - started > SYNC_WAIT_MS) throw new Error(`provider ${providerId}: its sync did not finish`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Register, verify the email through the link the api mailed, sign in, add five providers, link one. */
async function seedUser(apiUrl: string, mailDir: string, index: number): Promise<SeededUser> {
  const email = `bench-${index}-${randomBytes(4).toString('hex')}@example.test`;
  const password = `pw-${randomBytes(15).toString('base64url')}`;
  await call(apiUrl, 'POST', '/api/v1/auth/register', { email, password, name: `Bench User ${index}` });
  const mail = await waitForMail(new EmlDirectoryMailbox(mailDir), email, 1, 30_000);
  await call(apiUrl, 'POST', '/api/v1/auth/verify-email', { token: tokenFromLink(mail, '/verify-email') });
  const login = await call(apiUrl, 'POST', '/api/v1/auth/login', { email, password });
  const accessToken = String(login.access_token);
  const providerIds: string[] = [];
  for (let i = 1; i <= PROVIDERS_PER_USER; i += 1) {
    const created = await call(
      apiUrl,
      'POST',
      '/api/v1/providers',
      { provider_key: 'schwab', alias: `Brokerage ${i}` },
      accessToken,
    );
    providerIds.push(String(created.id));
  }
  await link(apiUrl, accessToken, providerIds[0]);
  await syncsSettled(apiUrl, accessToken, providerIds[0]);
  return { email, accessToken, providerIds, linkedProviderId: providerIds[0] };
}

/** Seeds `count` users through the api's own HTTP routes, a few at a time. */
export async function seed(apiUrl: string, mailDir: string, count: number): Promise<Seed> {
  const users: SeededUser[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      next += 1;
      users.push(await seedUser(apiUrl, mailDir, next));
    }
  };
  await Promise.all(Array.from({ length: Math.min(SEED_CONCURRENCY, count) }, worker));
  return { users };
}
