// subscription: the authenticated application must hold an active subscription that covers the
// matched API; the plan it grants is what limits and quotas count against.
import { deny, type PolicyContext, type PolicyResponse } from '../context.ts';
import type { PolicyDefinition, PolicyHandler } from '../definition.ts';
import { type SubscriptionConfig, subscriptionSchema } from './schema.ts';

export const subscription = {
  name: 'subscription',
  phase: 'authorize',
  priority: 950,
  schema: subscriptionSchema,
  create(config: SubscriptionConfig): PolicyHandler {
    const forward = config.forwardConsumerHeaders;
    const anonymous = deny('not-subscribed', 'This API needs a credential of a subscribed application.');
    const notSubscribed = deny(
      'not-subscribed',
      'The application has no active subscription to a plan of this API.',
    );

    return function subscriptionHandler(ctx: PolicyContext): PolicyResponse | undefined {
      const consumer = ctx.consumer;
      if (consumer === undefined) return anonymous;
      const planId = ctx.credentials.application(consumer.applicationId)?.grants.get(ctx.api.id);
      if (planId === undefined) return notSubscribed;
      ctx.setPlan(planId);
      if (forward) {
        ctx.setUpstreamHeader('x-consumer-application', consumer.applicationId);
        ctx.setUpstreamHeader('x-consumer-account', consumer.accountId);
        ctx.setUpstreamHeader('x-consumer-plan', planId);
      }
      return undefined;
    };
  },
} satisfies PolicyDefinition<SubscriptionConfig>;
