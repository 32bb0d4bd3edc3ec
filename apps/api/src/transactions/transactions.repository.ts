import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** The one owner of `transactions` statements: the sync's writes and the read API's queries. */
@Injectable()
export class TransactionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  // ── Reads (the read API) ──────────────────────────────────────────────────────────────────────

  // ── Writes (the sync) ─────────────────────────────────────────────────────────────────────────
}
