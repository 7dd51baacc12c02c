CREATE TYPE "public"."follower_kind" AS ENUM('user', 'channel');--> statement-breakpoint
ALTER TYPE "public"."post_kind" ADD VALUE 'follow_notice';--> statement-breakpoint
CREATE TABLE "case_follows" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "case_follows_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"case_id" integer NOT NULL,
	"follower_kind" "follower_kind" NOT NULL,
	"follower_id" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"told_txid" bigint NOT NULL,
	"told_event_id" integer NOT NULL,
	"deadlines_told_before" date NOT NULL,
	"last_told_at" timestamp with time zone,
	"thread_channel_id" text,
	"thread_ts" text,
	CONSTRAINT "case_follows_case_follower_key" UNIQUE("case_id","follower_kind","follower_id")
);
--> statement-breakpoint
ALTER TABLE "case_follows" ADD CONSTRAINT "case_follows_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_follows_follower_idx" ON "case_follows" USING btree ("follower_kind","follower_id");