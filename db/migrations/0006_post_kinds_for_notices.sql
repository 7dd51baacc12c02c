ALTER TYPE "public"."post_kind" ADD VALUE 'remiss_notice';--> statement-breakpoint
ALTER TYPE "public"."post_kind" ADD VALUE 'approval_request';