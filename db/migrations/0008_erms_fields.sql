ALTER TABLE "cases" ADD COLUMN "classification" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "decision_due_on" date;