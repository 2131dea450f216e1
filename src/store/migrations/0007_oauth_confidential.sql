ALTER TABLE "applications" ADD COLUMN "oauth_confidential" boolean DEFAULT false NOT NULL;--> statement-breakpoint
UPDATE "applications" SET "oauth_confidential" = true WHERE "id" IN (SELECT "application_id" FROM "oauth_client_secrets");
