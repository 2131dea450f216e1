ALTER TABLE "apis" ADD COLUMN "max_body_bytes" bigint;--> statement-breakpoint
ALTER TABLE "upstreams" ADD COLUMN "balancing" jsonb DEFAULT '{"algorithm":"round-robin","hashOn":"client-ip","hashHeader":null}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "upstreams" ADD COLUMN "health_checks" jsonb DEFAULT '{"active":null,"passive":{"failures":5,"ejectMs":10000}}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "upstreams" ADD COLUMN "timeouts" jsonb DEFAULT '{"connectMs":5000,"responseMs":60000,"idleMs":60000}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "upstreams" ADD COLUMN "retries" jsonb DEFAULT '{"attempts":1,"budgetPercent":20,"minPerSecond":10}'::jsonb NOT NULL;