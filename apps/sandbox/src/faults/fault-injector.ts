import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';

import { type BeforeApplicationShutdown, Injectable } from '@nestjs/common';

import { type ArmedFault, DEFAULT_TIMEOUT_HOLD_MS, type FaultEndpoint } from './fault.types';

/**
 * Faults armed through `POST /__sandbox/faults`, consumed first-in first-out, one per call to the
 * endpoint. Also tracks the requests a fault has marked (forced invalid_grant, reset after commit)
 * and the connections it holds open ("timeout").
 */
@Injectable()
export class FaultInjector implements BeforeApplicationShutdown {
  private readonly armed: ArmedFault[] = [];
  private readonly forcedInvalidGrant = new WeakSet<IncomingMessage>();
  private readonly resetAfterCommit = new WeakSet<IncomingMessage>();
  private readonly held = new Set<Socket>();

  arm(fault: ArmedFault): ArmedFault {
    this.armed.push({ ...fault });
    return fault;
  }

  /** The fault for this call, if any; decrements its count. */
  take(endpoint: FaultEndpoint): ArmedFault | undefined {
    const index = this.armed.findIndex((f) => f.endpoint === endpoint);
    if (index < 0) return undefined;
    const fault = this.armed[index];
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.armed.splice(index, 1);
    return { ...fault };
  }

  pending(): ArmedFault[] {
    return this.armed.map((f) => ({ ...f }));
  }

  markInvalidGrant(request: IncomingMessage): void {
    this.forcedInvalidGrant.add(request);
  }

  isInvalidGrantForced(request: IncomingMessage): boolean {
    return this.forcedInvalidGrant.has(request);
  }

  markResetAfterCommit(request: IncomingMessage): void {
    this.resetAfterCommit.add(request);
  }

  /** True once for a marked request: its answer must be dropped with the connection. */
  takeResetAfterCommit(request: IncomingMessage): boolean {
    return this.resetAfterCommit.delete(request);
  }

  /** Keeps the connection open without answering until the client gives up or `ms` pass. */
  hold(socket: Socket, ms = DEFAULT_TIMEOUT_HOLD_MS): void {
    this.held.add(socket);
    const timer = setTimeout(() => socket.destroy(), ms);
    timer.unref();
    socket.once('close', () => {
      clearTimeout(timer);
      this.held.delete(socket);
    });
  }

  reset(): void {
    this.armed.length = 0;
    this.dropHeld();
  }

  beforeApplicationShutdown(): void {
    this.dropHeld();
  }

  private dropHeld(): void {
    for (const socket of this.held) socket.destroy();
    this.held.clear();
  }
}
