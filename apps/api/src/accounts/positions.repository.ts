import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** The one owner of `positions` statements: the sync's writes and the read API's queries. */
@Injectable()
export class PositionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  // ── Reads (the read API) ──────────────────────────────────────────────────────────────────────

  // ── Writes (the sync) ─────────────────────────────────────────────────────────────────────────
}
