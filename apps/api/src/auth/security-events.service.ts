import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';

import { SecurityEventEntity, type SecurityEventType } from '@dashtam/database';

import type { ClientContext } from '../common/decorators/client-context.decorator';

export interface SecurityEventInput {
  userId?: string | null;
  sessionId?: string | null;
  /** Reasons and counters only: never a password, token, link or hash. */
  details?: Record<string, string | number | boolean | null>;
}

/** Writes the append-only security trail. Adding a row is the only operation this service offers. */
@Injectable()
export class SecurityEventsService {
  constructor(@InjectRepository(SecurityEventEntity) private readonly events: Repository<SecurityEventEntity>) {}

  /** Pass the transaction's manager so the event commits (or rolls back) with the change it records. */
  async record(
    event: SecurityEventType,
    client: ClientContext,
    input: SecurityEventInput = {},
    manager?: EntityManager,
  ): Promise<void> {
    const repository = manager ? manager.getRepository(SecurityEventEntity) : this.events;
    await repository.save(
      repository.create({
        event,
        userId: input.userId ?? null,
        sessionId: input.sessionId ?? null,
        details: input.details ?? {},
        ipAddress: client.ipAddress,
        userAgent: client.userAgent,
        requestId: client.requestId,
      }),
    );
  }
}
