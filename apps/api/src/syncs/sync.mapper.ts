import type { SyncAcceptedResponseDto, SyncResponseDto } from './dto/sync-response.dto';
import type { SyncView } from './sync.types';

const iso = (value: Date | null): string | null => (value ? value.toISOString() : null);

export function toSyncAcceptedResponse(sync: SyncView): SyncAcceptedResponseDto {
  return { id: sync.id, status: sync.status, trigger: sync.trigger, created_at: sync.createdAt.toISOString() };
}

export function toSyncResponse(sync: SyncView): SyncResponseDto {
  return {
    ...toSyncAcceptedResponse(sync),
    started_at: iso(sync.startedAt),
    finished_at: iso(sync.finishedAt),
    accounts: { ...sync.counts.accounts },
    positions: { ...sync.counts.positions },
    transactions: { ...sync.counts.transactions },
    error: sync.error,
    warnings: [...sync.warnings],
  };
}
