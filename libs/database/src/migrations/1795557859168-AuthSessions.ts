import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AuthSessions1795557859168 implements MigrationInterface {
  name = 'AuthSessions1795557859168';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "auth_sessions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "user_id" uuid NOT NULL, "last_used_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, "revoked_reason" character varying(32), "user_agent" character varying(512), "ip_address" character varying(45), CONSTRAINT "PK_641507381f32580e8479efc36cd" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "ix_auth_sessions_user_live" ON "auth_sessions" ("user_id", "last_used_at") WHERE "revoked_at" IS NULL',
    );
    await queryRunner.query(
      'CREATE TABLE "email_verification_tokens" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "user_id" uuid NOT NULL, "token_hash" character(64) NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "invalidated_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_417a095bbed21c2369a6a01ab9a" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "ix_email_verification_tokens_user" ON "email_verification_tokens" ("user_id") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "uq_email_verification_tokens_hash" ON "email_verification_tokens" ("token_hash") ',
    );
    await queryRunner.query(
      'CREATE TABLE "password_reset_tokens" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "user_id" uuid NOT NULL, "token_hash" character(64) NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "invalidated_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_d16bebd73e844c48bca50ff8d3d" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_password_reset_tokens_user" ON "password_reset_tokens" ("user_id") ');
    await queryRunner.query(
      'CREATE UNIQUE INDEX "uq_password_reset_tokens_hash" ON "password_reset_tokens" ("token_hash") ',
    );
    await queryRunner.query(
      'CREATE TABLE "refresh_tokens" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "session_id" uuid NOT NULL, "token_hash" character(64) NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_7d8bee0204106019488c4c50ffa" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_refresh_tokens_session" ON "refresh_tokens" ("session_id") ');
    await queryRunner.query(
      'CREATE TABLE "security_events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "user_id" uuid, "session_id" uuid, "event" character varying(64) NOT NULL, "details" jsonb NOT NULL DEFAULT \'{}\', "ip_address" character varying(45), "user_agent" character varying(512), "request_id" character varying(64), CONSTRAINT "PK_6fc100d6700780737348df0d3ae" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "ix_security_events_user_created" ON "security_events" ("user_id", "created_at") ',
    );
    await queryRunner.query('ALTER TABLE "users" ADD "failed_logins_since" TIMESTAMP WITH TIME ZONE');
    await queryRunner.query(
      'ALTER TABLE "auth_sessions" ADD CONSTRAINT "fk_auth_sessions_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "email_verification_tokens" ADD CONSTRAINT "fk_email_verification_tokens_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "password_reset_tokens" ADD CONSTRAINT "fk_password_reset_tokens_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "refresh_tokens" ADD CONSTRAINT "fk_refresh_tokens_session" FOREIGN KEY ("session_id") REFERENCES "auth_sessions"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "security_events" ADD CONSTRAINT "fk_security_events_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "security_events" DROP CONSTRAINT "fk_security_events_user"');
    await queryRunner.query('ALTER TABLE "refresh_tokens" DROP CONSTRAINT "fk_refresh_tokens_session"');
    await queryRunner.query('ALTER TABLE "password_reset_tokens" DROP CONSTRAINT "fk_password_reset_tokens_user"');
    await queryRunner.query(
      'ALTER TABLE "email_verification_tokens" DROP CONSTRAINT "fk_email_verification_tokens_user"',
    );
    await queryRunner.query('ALTER TABLE "auth_sessions" DROP CONSTRAINT "fk_auth_sessions_user"');
    await queryRunner.query('ALTER TABLE "users" DROP COLUMN "failed_logins_since"');
    await queryRunner.query('DROP INDEX "public"."ix_security_events_user_created"');
    await queryRunner.query('DROP TABLE "security_events"');
    await queryRunner.query('DROP INDEX "public"."ix_refresh_tokens_session"');
    await queryRunner.query('DROP TABLE "refresh_tokens"');
    await queryRunner.query('DROP INDEX "public"."uq_password_reset_tokens_hash"');
    await queryRunner.query('DROP INDEX "public"."ix_password_reset_tokens_user"');
    await queryRunner.query('DROP TABLE "password_reset_tokens"');
    await queryRunner.query('DROP INDEX "public"."uq_email_verification_tokens_hash"');
    await queryRunner.query('DROP INDEX "public"."ix_email_verification_tokens_user"');
    await queryRunner.query('DROP TABLE "email_verification_tokens"');
    await queryRunner.query('DROP INDEX "public"."ix_auth_sessions_user_live"');
    await queryRunner.query('DROP TABLE "auth_sessions"');
  }
}
