import type { MigrationInterface, QueryRunner } from 'typeorm';

export class FinancialData1796557573186 implements MigrationInterface {
  name = 'FinancialData1796557573186';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "accounts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "connection_id" uuid NOT NULL, "provider_id" uuid NOT NULL, "user_id" uuid NOT NULL, "provider_account_id" character varying(128) NOT NULL, "mask" character varying(4), "name" character varying(200) NOT NULL, "account_type" character varying(32) NOT NULL, "currency" character varying(3) NOT NULL DEFAULT \'USD\', "current_balance" numeric(19,4), "available_balance" numeric(19,4), "balance_as_of" TIMESTAMP WITH TIME ZONE, "is_active" boolean NOT NULL DEFAULT true, "last_synced_at" TIMESTAMP WITH TIME ZONE, "provider_metadata" jsonb NOT NULL DEFAULT \'{}\'::jsonb, CONSTRAINT "ck_accounts_mask" CHECK ("mask" ~ \'^[0-9]{1,4}$\'), CONSTRAINT "ck_accounts_account_type" CHECK ("account_type" IN (\'individual\', \'joint\', \'ira\', \'roth_ira\', \'401k\', \'margin\', \'cash\', \'checking\', \'savings\', \'credit\', \'other\')), CONSTRAINT "PK_5a7a02c20412299d198e097a8fe" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_accounts_user" ON "accounts" ("user_id", "provider_id") ');
    await queryRunner.query(
      'CREATE UNIQUE INDEX "uq_accounts_connection_provider_account" ON "accounts" ("connection_id", "provider_account_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "balance_snapshots" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "account_id" uuid NOT NULL, "balance" numeric(19,4), "available_balance" numeric(19,4), "holdings_value" numeric(19,4), "cash_value" numeric(19,4), "captured_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_8210c122fc87585d84277962770" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "ix_balance_snapshots_account_captured" ON "balance_snapshots" ("account_id", "captured_at") ',
    );
    await queryRunner.query(
      'CREATE TABLE "positions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "account_id" uuid NOT NULL, "provider_position_id" character varying(160) NOT NULL, "symbol" character varying(64) NOT NULL, "description" text, "asset_type" character varying(32) NOT NULL, "raw_asset_type" character varying(64) NOT NULL, "quantity" numeric(19,8) NOT NULL, "average_price" numeric(19,8), "market_value" numeric(19,4), "cost_basis" numeric(19,4), "as_of" TIMESTAMP WITH TIME ZONE NOT NULL, "is_active" boolean NOT NULL DEFAULT true, CONSTRAINT "ck_positions_asset_type" CHECK ("asset_type" IN (\'equity\', \'etf\', \'option\', \'mutual_fund\', \'fixed_income\', \'money_market\', \'cash_equivalent\', \'crypto\', \'other\')), CONSTRAINT "PK_17e4e62ccd5749b289ae3fae6f3" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "uq_positions_account_provider_position" ON "positions" ("account_id", "provider_position_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "syncs" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "connection_id" uuid NOT NULL, "user_id" uuid, "status" character varying(16) NOT NULL DEFAULT \'queued\', "trigger" character varying(16) NOT NULL, "idempotency_key" character varying(255), "request_hash" character(64), "idempotency_expires_at" TIMESTAMP WITH TIME ZONE, "accounts_created" integer NOT NULL DEFAULT \'0\', "accounts_updated" integer NOT NULL DEFAULT \'0\', "accounts_unchanged" integer NOT NULL DEFAULT \'0\', "positions_created" integer NOT NULL DEFAULT \'0\', "positions_updated" integer NOT NULL DEFAULT \'0\', "positions_unchanged" integer NOT NULL DEFAULT \'0\', "transactions_created" integer NOT NULL DEFAULT \'0\', "transactions_updated" integer NOT NULL DEFAULT \'0\', "transactions_unchanged" integer NOT NULL DEFAULT \'0\', "started_at" TIMESTAMP WITH TIME ZONE, "finished_at" TIMESTAMP WITH TIME ZONE, "error" text, "warnings" jsonb NOT NULL DEFAULT \'[]\'::jsonb, CONSTRAINT "ck_syncs_trigger" CHECK ("trigger" IN (\'manual\', \'scheduled\', \'linked\')), CONSTRAINT "ck_syncs_status" CHECK ("status" IN (\'queued\', \'running\', \'succeeded\', \'failed\')), CONSTRAINT "PK_364d2c68bdf2831bc1d5ab9fd96" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_syncs_connection_created" ON "syncs" ("connection_id", "created_at") ');
    await queryRunner.query(
      'CREATE UNIQUE INDEX "uq_syncs_user_idempotency_key" ON "syncs" ("user_id", "idempotency_key") WHERE "idempotency_key" IS NOT NULL',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "uq_syncs_connection_in_flight" ON "syncs" ("connection_id") WHERE "status" IN (\'queued\', \'running\')',
    );
    await queryRunner.query(
      'CREATE TABLE "transactions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "account_id" uuid NOT NULL, "user_id" uuid NOT NULL, "provider_transaction_id" character varying(128) NOT NULL, "date" date NOT NULL, "settlement_date" date, "description" text, "type" character varying(32) NOT NULL, "raw_type" character varying(64) NOT NULL, "status" character varying(16) NOT NULL, "amount" numeric(19,4) NOT NULL, "currency" character varying(3) NOT NULL DEFAULT \'USD\', "symbol" character varying(64), "quantity" numeric(19,8), "price" numeric(19,8), "fees" numeric(19,4) NOT NULL DEFAULT \'0\', "details" jsonb NOT NULL DEFAULT \'{}\'::jsonb, CONSTRAINT "ck_transactions_status" CHECK ("status" IN (\'pending\', \'posted\', \'cancelled\')), CONSTRAINT "ck_transactions_type" CHECK ("type" IN (\'buy\', \'sell\', \'dividend\', \'interest\', \'deposit\', \'withdrawal\', \'transfer\', \'fee\', \'tax\', \'journal\', \'other\')), CONSTRAINT "PK_a219afd8dd77ed80f5a862f1db9" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "ix_transactions_account_date_id" ON "transactions" ("account_id", "date", "id") ',
    );
    await queryRunner.query('CREATE INDEX "ix_transactions_user_date_id" ON "transactions" ("user_id", "date", "id") ');
    await queryRunner.query(
      'CREATE UNIQUE INDEX "uq_transactions_account_provider_transaction" ON "transactions" ("account_id", "provider_transaction_id") ',
    );
    await queryRunner.query(
      'ALTER TABLE "provider_connections" ALTER COLUMN "sync_frequency_minutes" SET DEFAULT \'60\'',
    );
    await queryRunner.query(
      'ALTER TABLE "accounts" ADD CONSTRAINT "fk_accounts_connection" FOREIGN KEY ("connection_id") REFERENCES "provider_connections"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "balance_snapshots" ADD CONSTRAINT "fk_balance_snapshots_account" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "positions" ADD CONSTRAINT "fk_positions_account" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "syncs" ADD CONSTRAINT "fk_syncs_connection" FOREIGN KEY ("connection_id") REFERENCES "provider_connections"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "transactions" ADD CONSTRAINT "fk_transactions_account" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "transactions" DROP CONSTRAINT "fk_transactions_account"');
    await queryRunner.query('ALTER TABLE "syncs" DROP CONSTRAINT "fk_syncs_connection"');
    await queryRunner.query('ALTER TABLE "positions" DROP CONSTRAINT "fk_positions_account"');
    await queryRunner.query('ALTER TABLE "balance_snapshots" DROP CONSTRAINT "fk_balance_snapshots_account"');
    await queryRunner.query('ALTER TABLE "accounts" DROP CONSTRAINT "fk_accounts_connection"');
    await queryRunner.query(
      'ALTER TABLE "provider_connections" ALTER COLUMN "sync_frequency_minutes" SET DEFAULT \'1440\'',
    );
    await queryRunner.query('DROP INDEX "public"."uq_transactions_account_provider_transaction"');
    await queryRunner.query('DROP INDEX "public"."ix_transactions_user_date_id"');
    await queryRunner.query('DROP INDEX "public"."ix_transactions_account_date_id"');
    await queryRunner.query('DROP TABLE "transactions"');
    await queryRunner.query('DROP INDEX "public"."uq_syncs_connection_in_flight"');
    await queryRunner.query('DROP INDEX "public"."uq_syncs_user_idempotency_key"');
    await queryRunner.query('DROP INDEX "public"."ix_syncs_connection_created"');
    await queryRunner.query('DROP TABLE "syncs"');
    await queryRunner.query('DROP INDEX "public"."uq_positions_account_provider_position"');
    await queryRunner.query('DROP TABLE "positions"');
    await queryRunner.query('DROP INDEX "public"."ix_balance_snapshots_account_captured"');
    await queryRunner.query('DROP TABLE "balance_snapshots"');
    await queryRunner.query('DROP INDEX "public"."uq_accounts_connection_provider_account"');
    await queryRunner.query('DROP INDEX "public"."ix_accounts_user"');
    await queryRunner.query('DROP TABLE "accounts"');
  }
}
