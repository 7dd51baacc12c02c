CREATE TABLE "search_words" (
	"word" text PRIMARY KEY NOT NULL
);
--> statement-breakpoint
DROP INDEX "cases_public_title_trgm_idx";--> statement-breakpoint
DROP INDEX "cases_title_trgm_idx";--> statement-breakpoint
DROP INDEX "cases_search_public_idx";--> statement-breakpoint
DROP INDEX "cases_search_full_idx";--> statement-breakpoint
-- One ALTER, so the table is rewritten once.
ALTER TABLE "cases"
  ADD COLUMN "search_public" "tsvector" GENERATED ALWAYS AS (to_tsvector('swedish'::regconfig, "public_title")) STORED,
  ADD COLUMN "search_full" "tsvector" GENERATED ALWAYS AS (to_tsvector('swedish'::regconfig, "title" || ' ' || coalesce("summary", '') || ' ' || coalesce("outcome", ''))) STORED;--> statement-breakpoint
CREATE INDEX "search_words_trgm_idx" ON "search_words" USING gin ("word" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "cases_search_public_idx" ON "cases" USING gin ("search_public");--> statement-breakpoint
CREATE INDEX "cases_search_full_idx" ON "cases" USING gin ("search_full");