import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The provider audit trail is append-only in the database too, not just in the code that writes it:
 * no UPDATE, no DELETE. One exception keeps the trail alive when its subjects go: deleting a
 * connection or a user (deleting a user cascades to its providers and connections) nulls
 * `connection_id` / `user_id` through the foreign keys' SET NULL, and nothing else may change in that
 * update. `provider_id` has no foreign key, so it always keeps naming the provider. Entities cannot
 * express triggers, so this migration is written by hand; the drift check does not see it.
 */
export class ProviderAuditLogsAppendOnly1796549834561 implements MigrationInterface {
  name = 'ProviderAuditLogsAppendOnly1796549834561';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE FUNCTION "provider_audit_logs_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE'
     AND (to_jsonb(NEW) - 'connection_id' - 'user_id') = (to_jsonb(OLD) - 'connection_id' - 'user_id')
     AND (NEW."connection_id" IS NULL OR NEW."connection_id" = OLD."connection_id")
     AND (NEW."user_id" IS NULL OR NEW."user_id" = OLD."user_id")
     AND (NEW."connection_id" IS DISTINCT FROM OLD."connection_id" OR NEW."user_id" IS DISTINCT FROM OLD."user_id") THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'provider_audit_logs is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$`);
    await queryRunner.query(
      'CREATE TRIGGER "trg_provider_audit_logs_append_only" BEFORE UPDATE OR DELETE ON "provider_audit_logs" FOR EACH ROW EXECUTE FUNCTION "provider_audit_logs_append_only"()',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER "trg_provider_audit_logs_append_only" ON "provider_audit_logs"');
    await queryRunner.query('DROP FUNCTION "provider_audit_logs_append_only"()');
  }
}
