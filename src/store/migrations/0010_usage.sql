CREATE TABLE "usage_batches" (
	"id" text PRIMARY KEY NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "usage_counts" (
	"subscription_id" text NOT NULL,
	"metric" text NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"units" bigint NOT NULL,
	CONSTRAINT "usage_counts_pk" PRIMARY KEY("subscription_id","metric","hour")
);
--> statement-breakpoint
CREATE INDEX "usage_batches_received_at" ON "usage_batches" USING btree ("received_at");