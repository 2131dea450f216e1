// subscription: the authenticated application must hold an active subscription that covers the
// matched API; the plan it grants is what limits and quotas count against.
import { deny, type PolicyContext, type PolicyResponse } from '../context.ts';
import type { PolicyDefinition, PolicyHandler } from '../definition.ts';
import { type SubscriptionConfig, subscriptionSchema } from './schema.ts';

export const subscription = {
  name: 'subscription',
  description:
    'Lets an application through only with an active subscription to a plan covering the API; forwards who is calling.',
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
      const application = ctx.credentials.application(consumer.applicationId);
      const planId = application?.grants.get(ctx.api.id);
      if (planId === undefined) return notSubscribed;
      ctx.setPlan(planId, application?.subscriptions?.get(ctx.api.id));
      if (forward) {
        ctx.setUpstreamHeader('x-consumer-application', consumer.applicationId);
        ctx.setUpstreamHeader('x-consumer-account', consumer.accountId);
        ctx.setUpstreamHeader('x-consumer-plan', planId);
        // A token's end user and granted scopes (API keys carry neither). Clients cannot send
        // X-Consumer-* headers themselves: the gateway drops them from every request.
        if (consumer.subject !== undefined)
          ctx.setUpstreamHeader('x-consumer-subject', headerSafe(consumer.subject));
        if (consumer.scopes !== undefined)
          ctx.setUpstreamHeader('x-consumer-scopes', headerSafe([...consumer.scopes].join(' ')));
      }
      return undefined;
    };
  },
} satisfies PolicyDefinition<SubscriptionConfig>;

const encoder = new TextEncoder();

/**
 * A token's claims may hold any Unicode, but a header value is printable ASCII: anything else
 * (and "%") is percent-encoded as UTF-8, so `decodeURIComponent` always gives the claim back and
 * a plain ASCII value arrives unchanged.
 */
export function headerSafe(value: string): string {
  return value.replace(/[^\x20-\x24\x26-\x7e]/gu, (c) =>
    Array.from(encoder.encode(c), (byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
}
