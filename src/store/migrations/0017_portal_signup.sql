CREATE TABLE "portal_signup" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"account_approval" text DEFAULT 'auto' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "portal_signup_one_row" CHECK ("portal_signup"."id" = 1)
);
