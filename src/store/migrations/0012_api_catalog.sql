ALTER TABLE "apis" ADD COLUMN "version" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "apis" ADD COLUMN "visibility" text DEFAULT 'public' NOT NULL;--> statement-breakpoint
ALTER TABLE "apis" ADD COLUMN "lifecycle" text DEFAULT 'published' NOT NULL;--> statement-breakpoint
ALTER TABLE "apis" ADD COLUMN "overview" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "apis" ADD COLUMN "openapi" json;--> statement-breakpoint
ALTER TABLE "apis" ADD COLUMN "changelog" text DEFAULT '' NOT NULL;