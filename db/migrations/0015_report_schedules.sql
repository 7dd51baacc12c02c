ALTER TYPE "public"."post_kind" ADD VALUE 'motion_report';--> statement-breakpoint
CREATE TABLE "report_schedules" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "report_schedules_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"channel_id" text NOT NULL,
	"ordinal" integer NOT NULL,
	"weekday" integer NOT NULL,
	"months" integer[] NOT NULL,
	"time" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_by_slack_user_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "report_schedules_channel_id_unique" UNIQUE("channel_id")
);
