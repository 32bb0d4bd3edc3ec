import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The security trail is append-only in the database too, not just in the code that writes it: no
 * UPDATE, no DELETE. One exception: deleting a user nulls `user_id` (the foreign key's SET NULL),
 * and nothing else may change in that update. Entities cannot express triggers, so this migration
 * is written by hand; the drift check does not see it.
 */
export class SecurityEventsAppendOnly1795558862904 implements MigrationInterface {
  name = 'SecurityEventsAppendOnly1795558862904';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE FUNCTION "security_events_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD."user_id" IS NOT NULL AND NEW."user_id" IS NULL
     AND (to_jsonb(NEW) - 'user_id') = (to_jsonb(OLD) - 'user_id') THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'security_events is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$`);
    await queryRunner.query(
      'CREATE TRIGGER "trg_security_events_append_only" BEFORE UPDATE OR DELETE ON "security_events" FOR EACH ROW EXECUTE FUNCTION "security_events_append_only"()',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER "trg_security_events_append_only" ON "security_events"');
    await queryRunner.query('DROP FUNCTION "security_events_append_only"()');
  }
}
