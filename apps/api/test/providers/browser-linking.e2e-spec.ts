import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { type BrowserContext, chromium, type Page } from 'playwright-core';

import {
  createSignedInUser,
  type LinkingStack,
  type ProviderBody,
  ProvidersApi,
  startLinkingStack,
  type TokenStatusBody,
} from '@dashtam/testing';

// Debian's package; `make test-setup` installs it (scripts/test-env.ts) where it can.
const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = join(__dirname, '..', '..', '..', '.data', 'screenshots');

/**
 * A person linking an institution in a real browser: headless Chromium opens the authorization URL
 * the api handed out, presses a button on the Sandbox's consent page and is redirected to the
 * callback app over HTTPS (its self-signed development certificate accepted), which completes the
 * flow through the api. Real PostgreSQL, Redis and TLS; nothing but the institution is a fake.
 */
describe('linking in a real browser (headless Chromium)', () => {
  let stack: LinkingStack;
  let api: ProvidersApi;
  let context: BrowserContext;
  let profileDir: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} is missing: run \`make test-setup\` as root, or \`apt-get install chromium\``);
    }
    stack = await startLinkingStack();
    api = new ProvidersApi(stack.api.url, (await createSignedInUser(stack.api)).auth);
    await mkdir(SCREENSHOTS, { recursive: true });
    profileDir = await mkdtemp(join(tmpdir(), 'dashtam-chromium-'));
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      ignoreHTTPSErrors: true,
      timeout: 60_000,
    });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    if (profileDir) await rm(profileDir, { recursive: true, force: true });
    await stack?.close();
  });

  /** Opens the authorization URL, presses `button` on the consent page and returns the callback page's status. */
  async function consentInBrowser(page: Page, provider: ProviderBody, button: 'Approve' | 'Deny'): Promise<number> {
    const started = await api.authorize(provider.id).expect(201);
    await page.goto((started.body as { authorization_url: string }).authorization_url);
    expect(new URL(page.url()).origin).toBe(stack.sandbox.url);
    expect(await page.getByRole('button', { name: button }).isVisible()).toBe(true);
    const landed = page.waitForResponse((res) => res.url().startsWith(`${stack.callbackUrl}/callback?`));
    await page.getByRole('button', { name: button }).click();
    const response = await landed;
    await page.waitForLoadState('domcontentloaded');
    expect(new URL(page.url()).origin).toBe(stack.callbackUrl);
    // Approve brings a code, Deny an error, both with the state; the page never shows what came in the URL.
    const query = new URL(page.url()).searchParams;
    expect(query.has('code')).toBe(button === 'Approve');
    expect(query.get('error')).toBe(button === 'Deny' ? 'access_denied' : null);
    const echoed = [query.get('code'), query.get('state')].filter((value) => value !== null);
    expect(echoed).toHaveLength(button === 'Approve' ? 2 : 1);
    const content = await page.content();
    for (const value of echoed) expect(content).not.toContain(value);
    return response.status();
  }

  it('Approve: the callback success page names the alias and the provider is active', async () => {
    const provider = await api.created('Browser Brokerage');
    const page = await context.newPage();
    try {
      const status = await consentInBrowser(page, provider, 'Approve');

      expect(status).toBe(200);
      expect(await page.locator('h1').innerText()).toBe('Browser Brokerage is connected');
      expect(await page.locator('body').innerText()).toContain('Dashtam can now read Browser Brokerage');
      await page.screenshot({ path: join(SCREENSHOTS, 'browser-linking-approved.png'), fullPage: true });
    } finally {
      await page.close();
    }

    const current = (await api.get(provider.id).expect(200)).body as ProviderBody;
    expect(current).toMatchObject({ status: 'active', is_connected: true });
    const token = (await api.tokenStatus(provider.id).expect(200)).body as TokenStatusBody;
    expect(token).toMatchObject({ status: 'active', has_refresh_token: true });
    expect(new Date(token.expires_at!).getTime()).toBeGreaterThan(Date.now());
    expect((await stack.controls.counters()).consent).toBeGreaterThanOrEqual(1);
  }, 90_000);

  it('Deny: the callback failure page (400) and the provider is not active', async () => {
    const provider = await api.created('Declined Brokerage');
    const page = await context.newPage();
    try {
      const status = await consentInBrowser(page, provider, 'Deny');

      expect(status).toBe(400);
      expect(await page.locator('h1').innerText()).toBe('The connection was not completed');
      expect(await page.locator('body').innerText()).toContain('Access was declined at the institution.');
      await page.screenshot({ path: join(SCREENSHOTS, 'browser-linking-denied.png'), fullPage: true });
    } finally {
      await page.close();
    }

    const current = (await api.get(provider.id).expect(200)).body as ProviderBody;
    expect(current.status).not.toBe('active');
    expect(current.is_connected).toBe(false);
    const token = (await api.tokenStatus(provider.id).expect(200)).body as TokenStatusBody;
    expect(token.expires_at).toBeNull();
  }, 90_000);
});
