// Configuration of the plan-limits policy. The limits themselves are the plan's, set on the plan.
import { z } from 'zod';

export const planLimitsSchema = z
  .object({
    headers: z
      .boolean()
      .default(true)
      .describe(
        'Send the RateLimit-Policy and RateLimit headers (for the limit closest to running out) on every response. Default true.',
      ),
  })
  .strict();

export type PlanLimitsConfig = z.infer<typeof planLimitsSchema>;
