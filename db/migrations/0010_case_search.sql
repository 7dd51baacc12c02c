CREATE INDEX "cases_search_public_idx" ON "cases" USING gin (to_tsvector('swedish'::regconfig, "public_title"));--> statement-breakpoint
CREATE INDEX "cases_search_full_idx" ON "cases" USING gin (to_tsvector('swedish'::regconfig, "title" || ' ' || coalesce("summary", '') || ' ' || coalesce("outcome", '')));--> statement-breakpoint
CREATE INDEX "cases_public_title_trgm_idx" ON "cases" USING gin ("public_title" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "cases_title_trgm_idx" ON "cases" USING gin ("title" gin_trgm_ops);