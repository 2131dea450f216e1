CREATE TABLE "alert_events" (
	"id" text PRIMARY KEY NOT NULL,
	"rule_id" text NOT NULL,
	"rule_name" text NOT NULL,
	"rule_kind" text NOT NULL,
	"state" text NOT NULL,
	"repeat" boolean DEFAULT false NOT NULL,
	"value" double precision,
	"threshold" double precision,
	"subject" text DEFAULT '' NOT NULL,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"window_minutes" integer,
	"window_from" timestamp with time zone,
	"window_to" timestamp with time zone,
	"at" timestamp with time zone NOT NULL,
	"deliveries" jsonb DEFAULT '[]'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alert_rules" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"kind" text NOT NULL,
	"window_minutes" integer,
	"threshold" double precision,
	"status_class" text,
	"percentile" text,
	"min_requests" integer,
	"absolute_minimum" integer,
	"repeat_minutes" integer,
	"scope" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"webhooks" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"emails" text[] DEFAULT '{}' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "alert_rules_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "alert_states" (
	"rule_id" text NOT NULL,
	"subject" text DEFAULT '' NOT NULL,
	"state" text NOT NULL,
	"value" double precision,
	"threshold" double precision,
	"since" timestamp with time zone NOT NULL,
	"notified_at" timestamp with time zone,
	"evaluated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "alert_states_pk" PRIMARY KEY("rule_id","subject")
);
--> statement-breakpoint
ALTER TABLE "alert_states" ADD CONSTRAINT "alert_states_rule_id_alert_rules_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."alert_rules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "alert_events_rule" ON "alert_events" USING btree ("rule_id","id");