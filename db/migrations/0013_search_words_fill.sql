-- Search's spelling dictionary (search_words) holds the words anyone may search a case by: a case's
-- title, summary and outcome, but only the public title of a restricted case, so that a correction
-- never tells that a word is in a secret title. Statement triggers with transition tables add a whole
-- import batch's words in one INSERT, not one per row.
CREATE FUNCTION search_words_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO search_words (word)
  SELECT DISTINCT w FROM changed_cases c,
         unnest(tsvector_to_array(to_tsvector('simple'::regconfig, CASE WHEN c.restricted THEN c.public_title
         ELSE c.title || ' ' || c.public_title || ' ' || coalesce(c.summary, '') || ' ' || coalesce(c.outcome, '') END))) AS w
   ORDER BY w
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER cases_search_words_insert
  AFTER INSERT ON cases REFERENCING NEW TABLE AS changed_cases
  FOR EACH STATEMENT EXECUTE FUNCTION search_words_add();
--> statement-breakpoint
CREATE TRIGGER cases_search_words_update
  AFTER UPDATE ON cases REFERENCING NEW TABLE AS changed_cases
  FOR EACH STATEMENT EXECUTE FUNCTION search_words_add();
--> statement-breakpoint
INSERT INTO search_words (word)
SELECT DISTINCT w FROM cases c,
       unnest(tsvector_to_array(to_tsvector('simple'::regconfig, CASE WHEN c.restricted THEN c.public_title
         ELSE c.title || ' ' || c.public_title || ' ' || coalesce(c.summary, '') || ' ' || coalesce(c.outcome, '') END))) AS w
ON CONFLICT DO NOTHING;
