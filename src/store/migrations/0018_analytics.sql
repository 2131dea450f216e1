CREATE TABLE "analytics_days" (
	"start" timestamp with time zone NOT NULL,
	"api_id" text DEFAULT '' NOT NULL,
	"route_id" text DEFAULT '' NOT NULL,
	"application_id" text DEFAULT '' NOT NULL,
	"account_id" text DEFAULT '' NOT NULL,
	"plan_id" text DEFAULT '' NOT NULL,
	"status" integer NOT NULL,
	"requests" bigint NOT NULL,
	"latency_ms_sum" double precision NOT NULL,
	"upstream_ms_sum" double precision NOT NULL,
	"upstream_requests" bigint NOT NULL,
	"bytes_in" bigint NOT NULL,
	"bytes_out" bigint NOT NULL,
	"latency" bigint[] DEFAULT '{}'::bigint[] NOT NULL,
	CONSTRAINT "analytics_days_pk" PRIMARY KEY("start","api_id","route_id","application_id","account_id","plan_id","status")
);
--> statement-breakpoint
CREATE TABLE "analytics_hours" (
	"start" timestamp with time zone NOT NULL,
	"api_id" text DEFAULT '' NOT NULL,
	"route_id" text DEFAULT '' NOT NULL,
	"application_id" text DEFAULT '' NOT NULL,
	"account_id" text DEFAULT '' NOT NULL,
	"plan_id" text DEFAULT '' NOT NULL,
	"status" integer NOT NULL,
	"requests" bigint NOT NULL,
	"latency_ms_sum" double precision NOT NULL,
	"upstream_ms_sum" double precision NOT NULL,
	"upstream_requests" bigint NOT NULL,
	"bytes_in" bigint NOT NULL,
	"bytes_out" bigint NOT NULL,
	"latency" bigint[] DEFAULT '{}'::bigint[] NOT NULL,
	CONSTRAINT "analytics_hours_pk" PRIMARY KEY("start","api_id","route_id","application_id","account_id","plan_id","status")
);
--> statement-breakpoint
CREATE TABLE "analytics_minutes" (
	"start" timestamp with time zone NOT NULL,
	"api_id" text DEFAULT '' NOT NULL,
	"route_id" text DEFAULT '' NOT NULL,
	"application_id" text DEFAULT '' NOT NULL,
	"account_id" text DEFAULT '' NOT NULL,
	"plan_id" text DEFAULT '' NOT NULL,
	"status" integer NOT NULL,
	"requests" bigint NOT NULL,
	"latency_ms_sum" double precision NOT NULL,
	"upstream_ms_sum" double precision NOT NULL,
	"upstream_requests" bigint NOT NULL,
	"bytes_in" bigint NOT NULL,
	"bytes_out" bigint NOT NULL,
	"latency" bigint[] DEFAULT '{}'::bigint[] NOT NULL,
	CONSTRAINT "analytics_minutes_pk" PRIMARY KEY("start","api_id","route_id","application_id","account_id","plan_id","status")
);
--> statement-breakpoint
CREATE TABLE "request_log" (
	"id" text PRIMARY KEY NOT NULL,
	"time" timestamp with time zone NOT NULL,
	"request_id" text NOT NULL,
	"method" text NOT NULL,
	"host" text NOT NULL,
	"path" text NOT NULL,
	"query" text NOT NULL,
	"status" integer NOT NULL,
	"duration_ms" double precision NOT NULL,
	"upstream_ms" double precision,
	"bytes_in" bigint NOT NULL,
	"bytes_out" bigint NOT NULL,
	"client_ip" text NOT NULL,
	"api_id" text NOT NULL,
	"route_id" text NOT NULL,
	"metric" text NOT NULL,
	"application_id" text,
	"account_id" text,
	"plan_id" text,
	"subscription_id" text,
	"end_user" text,
	"request_headers" jsonb NOT NULL,
	"response_headers" jsonb NOT NULL,
	"request_body" text,
	"response_body" text,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "request_log_time" ON "request_log" USING btree ("time","id");--> statement-breakpoint
CREATE INDEX "request_log_application_time" ON "request_log" USING btree ("application_id","time");--> statement-breakpoint
CREATE INDEX "request_log_api_time" ON "request_log" USING btree ("api_id","time");--> statement-breakpoint
CREATE INDEX "request_log_expires_at" ON "request_log" USING btree ("expires_at");--> statement-breakpoint
-- Latency histograms add element by element; arrays may differ in length (missing buckets are 0).
CREATE FUNCTION "turnpike_histogram_add"(a bigint[], b bigint[]) RETURNS bigint[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN a IS NULL THEN b WHEN b IS NULL THEN a ELSE
    ARRAY(SELECT coalesce(x, 0) + coalesce(y, 0) FROM unnest(a, b) WITH ORDINALITY AS u(x, y, n) ORDER BY n)
  END
$$;--> statement-breakpoint
CREATE AGGREGATE "turnpike_histogram_sum"(bigint[]) (SFUNC = "turnpike_histogram_add", STYPE = bigint[]);
