CREATE TABLE "identity_providers" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"display_name" text DEFAULT '' NOT NULL,
	"login_url" text NOT NULL,
	"issuer" text NOT NULL,
	"jwks_url" text,
	"public_keys" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"algorithms" jsonb DEFAULT '["RS256","ES256"]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "identity_providers_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "oauth_revoked_grants" (
	"grant_id" text PRIMARY KEY NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "end_users" DROP CONSTRAINT "end_users_email_unique";--> statement-breakpoint
ALTER TABLE "end_users" ALTER COLUMN "password_hash" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "apis" ADD COLUMN "identity_provider_id" text;--> statement-breakpoint
ALTER TABLE "end_users" ADD COLUMN "identity_provider_id" text;--> statement-breakpoint
ALTER TABLE "end_users" ADD COLUMN "external_subject" text;--> statement-breakpoint
ALTER TABLE "apis" ADD CONSTRAINT "apis_identity_provider_id_identity_providers_id_fk" FOREIGN KEY ("identity_provider_id") REFERENCES "public"."identity_providers"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "end_users" ADD CONSTRAINT "end_users_identity_provider_id_identity_providers_id_fk" FOREIGN KEY ("identity_provider_id") REFERENCES "public"."identity_providers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "end_users_email_unique" ON "end_users" USING btree ("email") WHERE identity_provider_id is null;--> statement-breakpoint
CREATE UNIQUE INDEX "end_users_external_subject" ON "end_users" USING btree ("identity_provider_id","external_subject");