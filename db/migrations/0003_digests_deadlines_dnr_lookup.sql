CREATE TYPE "public"."post_kind" AS ENUM('digest', 'reminder');--> statement-breakpoint
CREATE TYPE "public"."post_state" AS ENUM('claimed', 'posted', 'failed');--> statement-breakpoint
CREATE TABLE "digest_subscriptions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "digest_subscriptions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"channel_id" text NOT NULL,
	"weekday" integer NOT NULL,
	"time" text NOT NULL,
	"case_kinds" "case_kind"[],
	"body_ids" integer[],
	"post_when_empty" boolean DEFAULT true NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_by_slack_user_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "digest_subscriptions_channel_id_unique" UNIQUE("channel_id")
);
--> statement-breakpoint
CREATE TABLE "slack_posts" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "slack_posts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"key" text NOT NULL,
	"kind" "post_kind" NOT NULL,
	"subject_id" integer NOT NULL,
	"period" text NOT NULL,
	"channel_id" text NOT NULL,
	"state" "post_state" DEFAULT 'claimed' NOT NULL,
	"claimed_by" text NOT NULL,
	"lease_until" timestamp with time zone NOT NULL,
	"late" boolean DEFAULT false NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"parts_posted" integer DEFAULT 0 NOT NULL,
	"message_ts" text,
	"item_count" integer,
	"last_error" text,
	"created_at" timestamp with time zone NOT NULL,
	"posted_at" timestamp with time zone,
	CONSTRAINT "slack_posts_key_unique" UNIQUE("key")
);
--> statement-breakpoint
CREATE INDEX "slack_posts_kind_subject_idx" ON "slack_posts" USING btree ("kind","subject_id");--> statement-breakpoint
CREATE INDEX "slack_posts_state_idx" ON "slack_posts" USING btree ("state");--> statement-breakpoint
CREATE INDEX "cases_dnr_key_idx" ON "cases" USING btree ("dnr_key");--> statement-breakpoint
CREATE UNIQUE INDEX "deadlines_case_kind_idx" ON "deadlines" USING btree ("case_id","kind") WHERE "deadlines"."referral_id" IS NULL;