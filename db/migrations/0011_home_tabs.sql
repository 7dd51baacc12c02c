CREATE TABLE "home_tabs" (
	"slack_user_id" text PRIMARY KEY NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"published_hash" text,
	"published_at" timestamp with time zone
);
