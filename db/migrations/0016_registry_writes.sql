-- Every transaction that writes what a case card shows leaves its id here once, so that a process
-- caching cards can ask in one indexed query whether anything has committed since it last looked.
-- Statement triggers cost one insert per statement (a conflict after the first), not one per row.
CREATE TABLE "registry_writes" (
	"txid" "xid8" PRIMARY KEY DEFAULT pg_current_xact_id() NOT NULL
);
--> statement-breakpoint
CREATE FUNCTION note_registry_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO registry_writes DEFAULT VALUES ON CONFLICT DO NOTHING;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER registries_registry_write AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON registries
  FOR EACH STATEMENT EXECUTE FUNCTION note_registry_write();
--> statement-breakpoint
CREATE TRIGGER bodies_registry_write AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON bodies
  FOR EACH STATEMENT EXECUTE FUNCTION note_registry_write();
--> statement-breakpoint
CREATE TRIGGER cases_registry_write AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON cases
  FOR EACH STATEMENT EXECUTE FUNCTION note_registry_write();
--> statement-breakpoint
CREATE TRIGGER case_identifiers_registry_write AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON case_identifiers
  FOR EACH STATEMENT EXECUTE FUNCTION note_registry_write();
--> statement-breakpoint
CREATE TRIGGER referrals_registry_write AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON referrals
  FOR EACH STATEMENT EXECUTE FUNCTION note_registry_write();
--> statement-breakpoint
CREATE TRIGGER referral_responses_registry_write AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON referral_responses
  FOR EACH STATEMENT EXECUTE FUNCTION note_registry_write();
--> statement-breakpoint
CREATE TRIGGER timeline_entries_registry_write AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON timeline_entries
  FOR EACH STATEMENT EXECUTE FUNCTION note_registry_write();
--> statement-breakpoint
CREATE TRIGGER deadlines_registry_write AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON deadlines
  FOR EACH STATEMENT EXECUTE FUNCTION note_registry_write();
