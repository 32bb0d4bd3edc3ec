import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Imports1796568320890 implements MigrationInterface {
  name = 'Imports1796568320890';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "imports" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "user_id" uuid NOT NULL, "provider_id" uuid NOT NULL, "account_id" uuid, "institution_key" character varying(200) NOT NULL, "format" character varying(8) NOT NULL, "status" character varying(32) NOT NULL, "file_name" character varying(255), "file_size" integer NOT NULL, "file_sha256" character(64) NOT NULL, "transactions_created" integer NOT NULL DEFAULT \'0\', "transactions_updated" integer NOT NULL DEFAULT \'0\', "transactions_unchanged" integer NOT NULL DEFAULT \'0\', "errors" jsonb NOT NULL DEFAULT \'[]\', CONSTRAINT "ck_imports_status" CHECK ("status" IN (\'completed\', \'completed_with_errors\')), CONSTRAINT "ck_imports_format" CHECK ("format" IN (\'ofx\', \'qfx\', \'csv\')), CONSTRAINT "PK_ea10c62f5eb1d75e83d8b5225db" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_imports_user_institution" ON "imports" ("user_id", "institution_key") ');
    await queryRunner.query('CREATE INDEX "ix_imports_user_created" ON "imports" ("user_id", "created_at") ');
    await queryRunner.query(
      'ALTER TABLE "imports" ADD CONSTRAINT "fk_imports_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "imports" DROP CONSTRAINT "fk_imports_user"');
    await queryRunner.query('DROP INDEX "public"."ix_imports_user_created"');
    await queryRunner.query('DROP INDEX "public"."ix_imports_user_institution"');
    await queryRunner.query('DROP TABLE "imports"');
  }
}
