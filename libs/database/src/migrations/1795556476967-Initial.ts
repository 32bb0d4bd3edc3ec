import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1795556476967 implements MigrationInterface {
  name = 'Initial1795556476967';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "users" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "email" character varying(320) NOT NULL, "name" character varying(200) NOT NULL, "password_hash" character varying(255) NOT NULL, "email_verified_at" TIMESTAMP WITH TIME ZONE, "last_login_at" TIMESTAMP WITH TIME ZONE, "failed_login_count" integer NOT NULL DEFAULT \'0\', "locked_until" TIMESTAMP WITH TIME ZONE, "is_active" boolean NOT NULL DEFAULT true, "deleted_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "ck_users_email_lowercase" CHECK ("email" = lower("email")), CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE UNIQUE INDEX "uq_users_email" ON "users" ("email") ');
    await queryRunner.query(
      'CREATE TABLE "providers" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "user_id" uuid NOT NULL, "provider_key" character varying(64) NOT NULL, "alias" character varying(100) NOT NULL, "deleted_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_af13fc2ebf382fe0dad2e4793aa" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_providers_user_created" ON "providers" ("user_id", "created_at") ');
    await queryRunner.query(
      'CREATE UNIQUE INDEX "uq_providers_user_alias" ON "providers" ("user_id", "alias") WHERE "deleted_at" IS NULL',
    );
    await queryRunner.query(
      'CREATE TABLE "provider_connections" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "provider_id" uuid NOT NULL, "status" character varying(32) NOT NULL DEFAULT \'pending\', "connected_at" TIMESTAMP WITH TIME ZONE, "last_sync_at" TIMESTAMP WITH TIME ZONE, "next_sync_at" TIMESTAMP WITH TIME ZONE, "sync_frequency_minutes" integer NOT NULL DEFAULT \'1440\', "error_count" integer NOT NULL DEFAULT \'0\', "error_message" text, "accounts_count" integer NOT NULL DEFAULT \'0\', CONSTRAINT "REL_403724296b957521a5ec0f6228" UNIQUE ("provider_id"), CONSTRAINT "ck_provider_connections_counters" CHECK ("error_count" >= 0 AND "accounts_count" >= 0 AND "sync_frequency_minutes" > 0), CONSTRAINT "ck_provider_connections_status" CHECK ("status" IN (\'pending\', \'active\', \'error\', \'requires_reauth\', \'disconnected\')), CONSTRAINT "PK_e214ce18aa55a4cf2518dc88293" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "ix_provider_connections_due" ON "provider_connections" ("status", "next_sync_at") ',
    );
    await queryRunner.query(
      'CREATE TABLE "provider_audit_logs" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "provider_id" uuid, "connection_id" uuid, "user_id" uuid, "action" character varying(64) NOT NULL, "details" jsonb NOT NULL DEFAULT \'{}\'::jsonb, "ip_address" character varying(45), "user_agent" text, "request_id" character varying(64), CONSTRAINT "PK_d5f088aa08d9108dc2b9693310d" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_provider_audit_logs_user" ON "provider_audit_logs" ("user_id") ');
    await queryRunner.query(
      'CREATE INDEX "ix_provider_audit_logs_connection_created" ON "provider_audit_logs" ("connection_id", "created_at") ',
    );
    await queryRunner.query(
      'CREATE INDEX "ix_provider_audit_logs_provider_created" ON "provider_audit_logs" ("provider_id", "created_at") ',
    );
    await queryRunner.query(
      'CREATE TABLE "provider_tokens" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "connection_id" uuid NOT NULL, "access_token_encrypted" text NOT NULL, "refresh_token_encrypted" text, "id_token_encrypted" text, "token_type" character varying(32) NOT NULL DEFAULT \'Bearer\', "expires_at" TIMESTAMP WITH TIME ZONE, "refresh_token_expires_at" TIMESTAMP WITH TIME ZONE, "scope" text, "last_refreshed_at" TIMESTAMP WITH TIME ZONE, "refresh_count" integer NOT NULL DEFAULT \'0\', "key_id" character varying(32) NOT NULL, "version" integer NOT NULL DEFAULT \'1\', CONSTRAINT "REL_3e91368f650aae251987445b2e" UNIQUE ("connection_id"), CONSTRAINT "PK_c99d4128950e138160c4d2e39c2" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_provider_tokens_expires_at" ON "provider_tokens" ("expires_at") ');
    await queryRunner.query(
      'ALTER TABLE "providers" ADD CONSTRAINT "fk_providers_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "provider_connections" ADD CONSTRAINT "fk_provider_connections_provider" FOREIGN KEY ("provider_id") REFERENCES "providers"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "provider_audit_logs" ADD CONSTRAINT "fk_provider_audit_logs_connection" FOREIGN KEY ("connection_id") REFERENCES "provider_connections"("id") ON DELETE SET NULL ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "provider_audit_logs" ADD CONSTRAINT "fk_provider_audit_logs_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "provider_tokens" ADD CONSTRAINT "fk_provider_tokens_connection" FOREIGN KEY ("connection_id") REFERENCES "provider_connections"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "provider_tokens" DROP CONSTRAINT "fk_provider_tokens_connection"');
    await queryRunner.query('ALTER TABLE "provider_audit_logs" DROP CONSTRAINT "fk_provider_audit_logs_user"');
    await queryRunner.query('ALTER TABLE "provider_audit_logs" DROP CONSTRAINT "fk_provider_audit_logs_connection"');
    await queryRunner.query('ALTER TABLE "provider_connections" DROP CONSTRAINT "fk_provider_connections_provider"');
    await queryRunner.query('ALTER TABLE "providers" DROP CONSTRAINT "fk_providers_user"');
    await queryRunner.query('DROP INDEX "public"."ix_provider_tokens_expires_at"');
    await queryRunner.query('DROP TABLE "provider_tokens"');
    await queryRunner.query('DROP INDEX "public"."ix_provider_audit_logs_provider_created"');
    await queryRunner.query('DROP INDEX "public"."ix_provider_audit_logs_connection_created"');
    await queryRunner.query('DROP INDEX "public"."ix_provider_audit_logs_user"');
    await queryRunner.query('DROP TABLE "provider_audit_logs"');
    await queryRunner.query('DROP INDEX "public"."ix_provider_connections_due"');
    await queryRunner.query('DROP TABLE "provider_connections"');
    await queryRunner.query('DROP INDEX "public"."uq_providers_user_alias"');
    await queryRunner.query('DROP INDEX "public"."ix_providers_user_created"');
    await queryRunner.query('DROP TABLE "providers"');
    await queryRunner.query('DROP INDEX "public"."uq_users_email"');
    await queryRunner.query('DROP TABLE "users"');
  }
}
