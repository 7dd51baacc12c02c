CREATE TYPE "public"."actor_type" AS ENUM('slack_user', 'system', 'import', 'cli');--> statement-breakpoint
CREATE TYPE "public"."approval_state" AS ENUM('pending', 'approved', 'rejected');--> statement-breakpoint
CREATE TYPE "public"."body_kind" AS ENUM('council', 'board', 'district_board', 'administration', 'preparatory_body', 'external_organisation');--> statement-breakpoint
CREATE TYPE "public"."case_kind" AS ENUM('skrivelse', 'motion', 'medborgarforslag', 'interpellation', 'external_referral', 'other');--> statement-breakpoint
CREATE TYPE "public"."case_status" AS ENUM('initiated', 'in_progress', 'on_hold', 'open', 'prepared', 'received', 'expedited', 'closed', 'ad_acta', 'obliterated');--> statement-breakpoint
CREATE TYPE "public"."deadline_kind" AS ENUM('referral_due', 'statutory', 'policy', 'custom');--> statement-breakpoint
CREATE TYPE "public"."deadline_state" AS ENUM('open', 'met', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."referral_state" AS ENUM('open', 'answered', 'declined', 'withdrawn');--> statement-breakpoint
CREATE TYPE "public"."response_kind" AS ENUM('answer', 'declined');--> statement-breakpoint
CREATE TYPE "public"."timeline_kind" AS ENUM('preparation', 'proposal', 'decision', 'dissent', 'statement');--> statement-breakpoint
CREATE TABLE "audit_events" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"occurred_at" timestamp with time zone NOT NULL,
	"actor_type" "actor_type" NOT NULL,
	"actor_id" text NOT NULL,
	"actor_name" text,
	"action" text NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" text NOT NULL,
	"changes" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "bodies" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "bodies_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"code" text NOT NULL,
	"name" text NOT NULL,
	"kind" "body_kind" NOT NULL,
	"slack_channel_id" text,
	CONSTRAINT "bodies_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "case_identifiers" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "case_identifiers_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"case_id" integer NOT NULL,
	"display" text NOT NULL,
	"key" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cases" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "cases_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"registry_id" integer NOT NULL,
	"dnr" text,
	"dnr_key" text,
	"kind" "case_kind" NOT NULL,
	"title" text NOT NULL,
	"public_title" text NOT NULL,
	"restricted" boolean DEFAULT false NOT NULL,
	"summary" text,
	"raised_by" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"raised_on" date,
	"received_on" date,
	"closed_on" date,
	"addressed_to_body_id" integer,
	"responsible_body_id" integer,
	"officer_name" text,
	"officer_slack_user_id" text,
	"status" "case_status" DEFAULT 'open' NOT NULL,
	"outcome" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "deadlines" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "deadlines_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"case_id" integer NOT NULL,
	"referral_id" integer,
	"kind" "deadline_kind" NOT NULL,
	"due_on" date NOT NULL,
	"basis" text NOT NULL,
	"state" "deadline_state" DEFAULT 'open' NOT NULL,
	"met_on" date
);
--> statement-breakpoint
CREATE TABLE "referral_responses" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "referral_responses_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"referral_id" integer NOT NULL,
	"kind" "response_kind" DEFAULT 'answer' NOT NULL,
	"document_title" text,
	"summary" text NOT NULL,
	"link" text,
	"answered_on" date,
	"submitted_by_name" text,
	"submitted_by_slack_user_id" text,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"approval_state" "approval_state" DEFAULT 'pending' NOT NULL,
	"decided_by_name" text,
	"decided_by_slack_user_id" text,
	"decided_at" timestamp with time zone,
	"decision_reason" text
);
--> statement-breakpoint
CREATE TABLE "referrals" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "referrals_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"case_id" integer NOT NULL,
	"body_id" integer NOT NULL,
	"sent_on" date,
	"due_on" date,
	"due_statement" text,
	"state" "referral_state" DEFAULT 'open' NOT NULL,
	"answered_on" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "registries" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "registries_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"code" text NOT NULL,
	"name" text NOT NULL,
	CONSTRAINT "registries_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "slack_receipts" (
	"key" text PRIMARY KEY NOT NULL,
	"received_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "timeline_entries" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "timeline_entries_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"case_id" integer NOT NULL,
	"position" integer NOT NULL,
	"kind" timeline_kind NOT NULL,
	"body_id" integer,
	"occurred_on" date,
	"reference" text,
	"people" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"text" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "case_identifiers" ADD CONSTRAINT "case_identifiers_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_registry_id_registries_id_fk" FOREIGN KEY ("registry_id") REFERENCES "public"."registries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_addressed_to_body_id_bodies_id_fk" FOREIGN KEY ("addressed_to_body_id") REFERENCES "public"."bodies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_responsible_body_id_bodies_id_fk" FOREIGN KEY ("responsible_body_id") REFERENCES "public"."bodies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deadlines" ADD CONSTRAINT "deadlines_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deadlines" ADD CONSTRAINT "deadlines_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referrals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral_responses" ADD CONSTRAINT "referral_responses_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referrals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_body_id_bodies_id_fk" FOREIGN KEY ("body_id") REFERENCES "public"."bodies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "timeline_entries" ADD CONSTRAINT "timeline_entries_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "timeline_entries" ADD CONSTRAINT "timeline_entries_body_id_bodies_id_fk" FOREIGN KEY ("body_id") REFERENCES "public"."bodies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_events_entity_idx" ON "audit_events" USING btree ("entity_type","entity_id");--> statement-breakpoint
CREATE INDEX "audit_events_occurred_idx" ON "audit_events" USING btree ("occurred_at");--> statement-breakpoint
CREATE INDEX "bodies_slack_channel_idx" ON "bodies" USING btree ("slack_channel_id");--> statement-breakpoint
CREATE UNIQUE INDEX "case_identifiers_case_key_idx" ON "case_identifiers" USING btree ("case_id","key");--> statement-breakpoint
CREATE INDEX "case_identifiers_key_idx" ON "case_identifiers" USING btree ("key");--> statement-breakpoint
CREATE INDEX "case_identifiers_key_trgm_idx" ON "case_identifiers" USING gin ("key" gin_trgm_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "cases_registry_dnr_key_idx" ON "cases" USING btree ("registry_id","dnr_key");--> statement-breakpoint
CREATE INDEX "cases_dnr_key_trgm_idx" ON "cases" USING gin ("dnr_key" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "cases_status_kind_idx" ON "cases" USING btree ("status","kind");--> statement-breakpoint
CREATE INDEX "cases_responsible_body_idx" ON "cases" USING btree ("responsible_body_id");--> statement-breakpoint
CREATE INDEX "deadlines_case_idx" ON "deadlines" USING btree ("case_id");--> statement-breakpoint
CREATE UNIQUE INDEX "deadlines_referral_kind_idx" ON "deadlines" USING btree ("referral_id","kind");--> statement-breakpoint
CREATE INDEX "deadlines_state_due_idx" ON "deadlines" USING btree ("state","due_on");--> statement-breakpoint
CREATE INDEX "referral_responses_referral_idx" ON "referral_responses" USING btree ("referral_id");--> statement-breakpoint
CREATE INDEX "referral_responses_approval_idx" ON "referral_responses" USING btree ("approval_state");--> statement-breakpoint
CREATE INDEX "referrals_case_idx" ON "referrals" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "referrals_body_state_idx" ON "referrals" USING btree ("body_id","state");--> statement-breakpoint
CREATE INDEX "referrals_state_due_idx" ON "referrals" USING btree ("state","due_on");--> statement-breakpoint
CREATE UNIQUE INDEX "referrals_one_open_per_body_idx" ON "referrals" USING btree ("case_id","body_id") WHERE "referrals"."state" = 'open';--> statement-breakpoint
CREATE INDEX "slack_receipts_received_idx" ON "slack_receipts" USING btree ("received_at");--> statement-breakpoint
CREATE UNIQUE INDEX "timeline_entries_case_position_idx" ON "timeline_entries" USING btree ("case_id","position");