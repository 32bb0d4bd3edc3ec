import { randomBytes } from 'node:crypto';

import { getQueueToken } from '@nestjs/bullmq';
import { ModulesContainer } from '@nestjs/core';
import type { Queue } from 'bullmq';

import {
  InstitutionsModule,
  OAuthStateStore,
  ProviderRegistry,
  TokenRefreshService,
  TokenVaultService,
} from '@dashtam/providers';
import { createTestApp, type TestApp } from '@dashtam/testing';

import { ProviderConnectionService } from '../../src/providers/provider-connection.service';
import { TokenRefreshProcessor } from '../../src/queues/token-refresh/token-refresh.processor';
import { TOKEN_REFRESH_QUEUE } from '../../src/queues/token-refresh/token-refresh.jobs';

/**
 * How the real AppModule is put together: one set of institution services for every consumer, and the
 * token refresh queue idle where PROVIDER_REFRESH_SCAN_SECONDS=0 (the tests' default).
 */
describe('api module wiring', () => {
  let t: TestApp;

  beforeAll(async () => {
    // Own keys: nothing another suite left under the default prefix can show here.
    t = await createTestApp({ config: { jobs: { queuePrefix: `dashtam-test-${randomBytes(6).toString('hex')}` } } });
  });
  afterAll(() => t?.close());

  /** Every instance of `token` that any module of the app holds as its own provider. */
  const instancesOf = (token: unknown): unknown[] => {
    const instances = new Set<unknown>();
    for (const module of t.app.get(ModulesContainer).values()) {
      const instance = module.providers.get(token as never)?.instance;
      if (instance) instances.add(instance);
    }
    return [...instances];
  };

  it('builds InstitutionsModule once: the HTTP refresh path and the job worker share one refresher, vault, registry and state store', () => {
    const built = [...t.app.get(ModulesContainer).values()].filter((module) => module.metatype === InstitutionsModule);
    expect(built).toHaveLength(1);
    for (const token of [TokenRefreshService, TokenVaultService, ProviderRegistry, OAuthStateStore]) {
      expect(instancesOf(token)).toEqual([t.app.get(token, { strict: false })]);
    }
    // Both consumers resolve in this app, so both were given that one instance.
    expect(t.app.get(ProviderConnectionService, { strict: false })).toBeInstanceOf(ProviderConnectionService);
    expect(t.app.get(TokenRefreshProcessor, { strict: false })).toBeInstanceOf(TokenRefreshProcessor);
  });

  it('with PROVIDER_REFRESH_SCAN_SECONDS=0 the instance neither schedules scans nor works jobs', async () => {
    const queue = t.app.get<Queue>(getQueueToken(TOKEN_REFRESH_QUEUE), { strict: false });
    const processor = t.app.get(TokenRefreshProcessor, { strict: false });
    expect(processor.worker.isRunning()).toBe(false);
    expect(await queue.getJobSchedulers()).toEqual([]);
  });
});
