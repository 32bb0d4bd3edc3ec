import type { SyncDispatch } from './sync.types';

/**
 * Hands queued syncs to whatever runs them: the job engine's queue where Redis is configured (any
 * instance's worker takes them), this process otherwise (development without Redis). The `syncs` row
 * is the truth either way: a dispatch that is lost or repeated is harmless, because a sync runs only
 * once it is claimed, and a sync nobody claims is found again by the scan (SyncLauncher.scan).
 */
export abstract class SyncDispatcher {
  abstract dispatch(syncs: SyncDispatch[]): Promise<void>;
}
