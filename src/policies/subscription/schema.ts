// Configuration of the subscription policy.
import { z } from 'zod';

export const subscriptionSchema = z
  .object({
    forwardConsumerHeaders: z
      .boolean()
      .default(true)
      .describe(
        'Send X-Consumer-Application, X-Consumer-Account and X-Consumer-Plan to the upstream. Default true. Incoming X-Consumer-* headers are removed either way.',
      ),
  })
  .strict();

export type SubscriptionConfig = z.infer<typeof subscriptionSchema>;
