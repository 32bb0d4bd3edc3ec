import { Global, Module } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import Redis from 'ioredis';

import { DashtamConfigModule, getConfig } from '@dashtam/config';
import { DatabaseModule } from '@dashtam/database';
import { redisKeys } from '@dashtam/platform';
import {
  OAuthStateStore,
  ProviderRegistry,
  InstitutionsModule,
  TokenRefreshService,
  TokenVaultService,
} from '@dashtam/providers';

const REDIS = Symbol('TEST_REDIS');

async function boot(redis: Redis | null): Promise<TestingModule> {
  @Global()
  @Module({ providers: [{ provide: REDIS, useValue: redis }], exports: [REDIS] })
  class TestRedisModule {}

  return Test.createTestingModule({
    imports: [DashtamConfigModule, DatabaseModule, TestRedisModule, InstitutionsModule.forRoot({ redis: REDIS })],
  }).compile();
}

describe('InstitutionsModule wiring (Nest DI, validated config, real PostgreSQL and Redis)', () => {
  it('provides the registry, vault, refresher and a Redis-backed state store', async () => {
    const redis = new Redis(getConfig().redis.url!);
    const app = await boot(redis);
    try {
      expect(app.get(TokenRefreshService)).toBeInstanceOf(TokenRefreshService);
      expect(app.get(TokenVaultService)).toBeInstanceOf(TokenVaultService);
      // Testing config: the Sandbox on loopback is offered (also as SimpleFIN Bridge and Alpaca); Schwab has
      // no credentials (and is not on loopback); imports need nothing.
      const definitions = app.get(ProviderRegistry).definitions();
      expect(definitions.map((d) => [d.key, d.isConfigured])).toEqual([
        ['schwab', false],
        ['sandbox', true],
        ['simplefin', true],
        ['alpaca', true],
        ['file', true],
      ]);
      const store = app.get(OAuthStateStore);
      const { state } = await store.create({
        userId: 'u',
        providerId: 'p',
        providerKey: 'sandbox',
        redirectUri: getConfig().callback.redirectUri,
      });
      expect(await redis.pttl(redisKeys.oauthState(state))).toBeGreaterThan(0);
      expect(await store.consume(state)).toMatchObject({ userId: 'u', providerId: 'p' });
    } finally {
      await app.close();
      await redis.quit();
    }
  });

  it('falls back to an in-process state store without Redis (development only)', async () => {
    const app = await boot(null);
    try {
      const store = app.get(OAuthStateStore);
      const { state } = await store.create({ userId: 'u', providerId: 'p', providerKey: 'sandbox', redirectUri: 'x' });
      expect(await store.consume(state)).toMatchObject({ userId: 'u' });
      expect(await store.consume(state)).toBeNull();
    } finally {
      await app.close();
    }
  });
});
