CREATE TABLE "case_fingerprints" (
	"case_id" integer PRIMARY KEY NOT NULL,
	"fingerprint" text NOT NULL,
	"nested" jsonb NOT NULL,
	"keys" jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "case_fingerprints" ADD CONSTRAINT "case_fingerprints_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_fingerprints_fingerprint_idx" ON "case_fingerprints" USING btree ("fingerprint");--> statement-breakpoint
-- A write to a case or to what is nested in it, outside an import, forgets the case's fingerprint,
-- so the next sync compares that case in full, as it did before fingerprints. An import says it is
-- one with set_config('arendebot.importing', 'on', true) in its own transaction (lockImport).
CREATE FUNCTION forget_case_fingerprint() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    DELETE FROM case_fingerprints WHERE case_id = OLD.case_id;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    DELETE FROM case_fingerprints WHERE case_id = NEW.case_id;
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE FUNCTION forget_referral_case_fingerprint() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    DELETE FROM case_fingerprints WHERE case_id = (SELECT case_id FROM referrals WHERE id = OLD.referral_id);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    DELETE FROM case_fingerprints WHERE case_id = (SELECT case_id FROM referrals WHERE id = NEW.referral_id);
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE FUNCTION forget_case_fingerprint_by_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM case_fingerprints WHERE case_id = NEW.id;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
-- Cases match their registry and bodies by code, and a CSV row names its registry: a change there,
-- even by an import, can change what every row means.
CREATE FUNCTION forget_all_case_fingerprints() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM case_fingerprints;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER cases_forget_fingerprint AFTER UPDATE ON cases FOR EACH ROW
  WHEN (current_setting('arendebot.importing', true) IS DISTINCT FROM 'on')
  EXECUTE FUNCTION forget_case_fingerprint_by_id();
--> statement-breakpoint
CREATE TRIGGER case_identifiers_forget_fingerprint AFTER INSERT OR UPDATE OR DELETE ON case_identifiers FOR EACH ROW
  WHEN (current_setting('arendebot.importing', true) IS DISTINCT FROM 'on')
  EXECUTE FUNCTION forget_case_fingerprint();
--> statement-breakpoint
CREATE TRIGGER referrals_forget_fingerprint AFTER INSERT OR UPDATE OR DELETE ON referrals FOR EACH ROW
  WHEN (current_setting('arendebot.importing', true) IS DISTINCT FROM 'on')
  EXECUTE FUNCTION forget_case_fingerprint();
--> statement-breakpoint
CREATE TRIGGER referral_responses_forget_fingerprint AFTER INSERT OR UPDATE OR DELETE ON referral_responses FOR EACH ROW
  WHEN (current_setting('arendebot.importing', true) IS DISTINCT FROM 'on')
  EXECUTE FUNCTION forget_referral_case_fingerprint();
--> statement-breakpoint
CREATE TRIGGER timeline_entries_forget_fingerprint AFTER INSERT OR UPDATE OR DELETE ON timeline_entries FOR EACH ROW
  WHEN (current_setting('arendebot.importing', true) IS DISTINCT FROM 'on')
  EXECUTE FUNCTION forget_case_fingerprint();
--> statement-breakpoint
CREATE TRIGGER deadlines_forget_fingerprint AFTER INSERT OR UPDATE OR DELETE ON deadlines FOR EACH ROW
  WHEN (current_setting('arendebot.importing', true) IS DISTINCT FROM 'on')
  EXECUTE FUNCTION forget_case_fingerprint();
--> statement-breakpoint
CREATE TRIGGER registries_forget_fingerprints AFTER UPDATE OF code, name OR DELETE OR TRUNCATE ON registries
  FOR EACH STATEMENT EXECUTE FUNCTION forget_all_case_fingerprints();
--> statement-breakpoint
CREATE TRIGGER bodies_forget_fingerprints AFTER UPDATE OF code OR DELETE OR TRUNCATE ON bodies
  FOR EACH STATEMENT EXECUTE FUNCTION forget_all_case_fingerprints();
--> statement-breakpoint
-- A write outside an import waits for an import batch that holds the import lock, and an import batch
-- waits for such a write to commit: otherwise a batch that read a case before the write committed
-- could store the fingerprint of what it read after the trigger had forgotten the old one.
CREATE FUNCTION wait_for_import_batch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock_shared(4172001::bigint);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER cases_wait_for_import BEFORE INSERT OR UPDATE OR DELETE ON cases FOR EACH STATEMENT
  WHEN (current_setting('arendebot.importing', true) IS DISTINCT FROM 'on')
  EXECUTE FUNCTION wait_for_import_batch();
--> statement-breakpoint
CREATE TRIGGER case_identifiers_wait_for_import BEFORE INSERT OR UPDATE OR DELETE ON case_identifiers FOR EACH STATEMENT
  WHEN (current_setting('arendebot.importing', true) IS DISTINCT FROM 'on')
  EXECUTE FUNCTION wait_for_import_batch();
--> statement-breakpoint
CREATE TRIGGER referrals_wait_for_import BEFORE INSERT OR UPDATE OR DELETE ON referrals FOR EACH STATEMENT
  WHEN (current_setting('arendebot.importing', true) IS DISTINCT FROM 'on')
  EXECUTE FUNCTION wait_for_import_batch();
--> statement-breakpoint
CREATE TRIGGER referral_responses_wait_for_import BEFORE INSERT OR UPDATE OR DELETE ON referral_responses FOR EACH STATEMENT
  WHEN (current_setting('arendebot.importing', true) IS DISTINCT FROM 'on')
  EXECUTE FUNCTION wait_for_import_batch();
--> statement-breakpoint
CREATE TRIGGER timeline_entries_wait_for_import BEFORE INSERT OR UPDATE OR DELETE ON timeline_entries FOR EACH STATEMENT
  WHEN (current_setting('arendebot.importing', true) IS DISTINCT FROM 'on')
  EXECUTE FUNCTION wait_for_import_batch();
--> statement-breakpoint
CREATE TRIGGER deadlines_wait_for_import BEFORE INSERT OR UPDATE OR DELETE ON deadlines FOR EACH STATEMENT
  WHEN (current_setting('arendebot.importing', true) IS DISTINCT FROM 'on')
  EXECUTE FUNCTION wait_for_import_batch();
--> statement-breakpoint
-- TRUNCATE fires no row triggers: emptying any of these tables forgets every fingerprint.
CREATE TRIGGER cases_forget_fingerprints AFTER TRUNCATE ON cases
  FOR EACH STATEMENT EXECUTE FUNCTION forget_all_case_fingerprints();
--> statement-breakpoint
CREATE TRIGGER case_identifiers_forget_fingerprints AFTER TRUNCATE ON case_identifiers
  FOR EACH STATEMENT EXECUTE FUNCTION forget_all_case_fingerprints();
--> statement-breakpoint
CREATE TRIGGER referrals_forget_fingerprints AFTER TRUNCATE ON referrals
  FOR EACH STATEMENT EXECUTE FUNCTION forget_all_case_fingerprints();
--> statement-breakpoint
CREATE TRIGGER referral_responses_forget_fingerprints AFTER TRUNCATE ON referral_responses
  FOR EACH STATEMENT EXECUTE FUNCTION forget_all_case_fingerprints();
--> statement-breakpoint
CREATE TRIGGER timeline_entries_forget_fingerprints AFTER TRUNCATE ON timeline_entries
  FOR EACH STATEMENT EXECUTE FUNCTION forget_all_case_fingerprints();
--> statement-breakpoint
CREATE TRIGGER deadlines_forget_fingerprints AFTER TRUNCATE ON deadlines
  FOR EACH STATEMENT EXECUTE FUNCTION forget_all_case_fingerprints();
