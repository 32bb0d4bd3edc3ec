import { Injectable } from '@nestjs/common';

import { isProviderKey, PROVIDER_CATALOG } from '@dashtam/providers';

import { AppError } from '../common/errors';
import { offsetOf, type Page, pageOf, type PageQueryDto } from '../common/pagination/page-query.dto';
import type { ProviderView } from '../providers/providers.repository';
import { ProvidersService } from '../providers/providers.service';
import { IDEMPOTENCY_KEY_TTL_SECONDS } from './idempotency-key';
import { ProviderCallBudget, secondsToUtcMidnight } from './provider-call-budget';
import { SyncLauncher } from './sync-launcher.service';
import type { SyncView } from './sync.types';
import { SyncsRepository } from './syncs.repository';

// Each round loses only to a concurrent request that inserted, or a sync that finished, in between.
const MAX_ROUNDS = 5;

/** A keyed request: the Idempotency-Key and the hash of method, path and body. */
export interface IdempotentRequest {
  key: string;
  requestHash: string;
}

/** The syncs of a user's provider (SPEC §8): ask for one, list them, show one. */
@Injectable()
export class SyncsService {
  constructor(
    private readonly providers: ProvidersService,
    private readonly syncs: SyncsRepository,
    private readonly launcher: SyncLauncher,
    private readonly budget: ProviderCallBudget,
  ) {}

  /**
   * Queues a manual sync, or answers the one that already stands for this request: the sync made
   * under the same Idempotency-Key (422 when the key came with another request), else the sync of
   * this connection that is queued or running. The partial unique index decides between racing
   * requests on any instance; whoever loses reads what won.
   */
  async request(userId: string, providerId: string, idempotent: IdempotentRequest | null): Promise<SyncView> {
    const provider = await this.providers.get(userId, providerId);
    const keyed = idempotent ? { ...idempotent, ttlSeconds: IDEMPOTENCY_KEY_TTL_SECONDS } : undefined;
    const replayed = keyed ? await this.replay(userId, keyed) : null;
    if (replayed) return replayed;
    assertSyncable(provider);
    if (keyed) await this.syncs.releaseExpiredKey(userId, keyed.key);
    // A sync already in flight costs nothing more; a new one would call past the institution's budget.
    if ((await this.budget.remaining(provider.providerKey, provider.connectionId)) === 0) {
      const inFlight = await this.syncs.findInFlight(provider.connectionId);
      if (inFlight) return inFlight;
      const seconds = secondsToUtcMidnight();
      throw new AppError(
        'PROVIDER.RATE_BUDGET_EXHAUSTED',
        "Today's request budget of this institution is spent; syncs are possible again after midnight UTC",
        { headers: { 'retry-after': String(seconds) } },
      );
    }

    for (let round = 0; round < MAX_ROUNDS; round += 1) {
      const created = await this.launcher.launch({
        connectionId: provider.connectionId,
        userId,
        trigger: 'manual',
        idempotency: keyed,
      });
      if (created) return created;
      const sameKey = keyed ? await this.replay(userId, keyed) : null;
      if (sameKey) return sameKey;
      const inFlight = await this.syncs.findInFlight(provider.connectionId);
      if (inFlight) {
        // The key now names the sync it was answered with, so a retry gets it again.
        if (keyed) await this.syncs.attachIdempotencyKey(inFlight.id, userId, keyed);
        return inFlight;
      }
    }
    throw new AppError('RESOURCE.CONFLICT', 'The sync could not be queued; try again');
  }

  async list(userId: string, providerId: string, query: PageQueryDto): Promise<Page<SyncView>> {
    const provider = await this.providers.get(userId, providerId);
    const { items, total } = await this.syncs.listOfConnection(provider.connectionId, {
      limit: query.per_page,
      offset: offsetOf(query),
    });
    return pageOf(items, total, query);
  }

  async get(userId: string, providerId: string, syncId: string): Promise<SyncView> {
    const provider = await this.providers.get(userId, providerId);
    const sync = await this.syncs.findOfConnection(provider.connectionId, syncId);
    if (!sync) throw new AppError('SYNC.NOT_FOUND', 'No such sync');
    return sync;
  }

  /** The sync the caller's key names, or null; the key with another request is a 422. */
  private async replay(userId: string, keyed: IdempotentRequest): Promise<SyncView | null> {
    const found = await this.syncs.findByIdempotencyKey(userId, keyed.key);
    if (!found) return null;
    if (found.requestHash !== keyed.requestHash) {
      throw new AppError(
        'IDEMPOTENCY.KEY_REUSED',
        'This Idempotency-Key was used with a different request; use a new key for a new request',
      );
    }
    return found.sync;
  }
}

/** Only a connection with usable tokens syncs (`error` too: that is how it recovers). */
function assertSyncable(provider: ProviderView): void {
  if (isProviderKey(provider.providerKey) && PROVIDER_CATALOG[provider.providerKey].authType === 'file') {
    throw new AppError(
      'PROVIDER.NOT_SYNCABLE',
      'This provider is fed by file imports; upload a newer file to POST /api/v1/imports',
    );
  }
  if (provider.status === 'active' || provider.status === 'error') return;
  if (provider.status === 'requires_reauth') {
    throw new AppError(
      'PROVIDER.REAUTH_REQUIRED',
      'The institution no longer accepts this authorization; link the provider again',
    );
  }
  throw new AppError('PROVIDER.NOT_CONNECTED', 'This provider is not connected; link it first');
}
