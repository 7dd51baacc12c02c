CREATE TYPE "public"."member_role" AS ENUM('registrator', 'handlaggare', 'godkannare', 'admin');--> statement-breakpoint
CREATE TABLE "approval_messages" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "approval_messages_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"response_id" integer NOT NULL,
	"channel_id" text NOT NULL,
	"message_ts" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "memberships" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "memberships_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"slack_user_id" text NOT NULL,
	"body_id" integer,
	"role" "member_role" NOT NULL,
	"granted_by" text NOT NULL,
	"granted_at" timestamp with time zone NOT NULL,
	CONSTRAINT "memberships_user_body_role_key" UNIQUE NULLS NOT DISTINCT("slack_user_id","body_id","role")
);
--> statement-breakpoint
ALTER TABLE "approval_messages" ADD CONSTRAINT "approval_messages_response_id_referral_responses_id_fk" FOREIGN KEY ("response_id") REFERENCES "public"."referral_responses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_body_id_bodies_id_fk" FOREIGN KEY ("body_id") REFERENCES "public"."bodies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "approval_messages_channel_ts_idx" ON "approval_messages" USING btree ("channel_id","message_ts");--> statement-breakpoint
CREATE INDEX "approval_messages_response_idx" ON "approval_messages" USING btree ("response_id");--> statement-breakpoint
CREATE INDEX "memberships_body_role_idx" ON "memberships" USING btree ("body_id","role");