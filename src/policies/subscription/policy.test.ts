import { describe, expect, it } from 'vitest';
import type { ApplicationRecord } from '../context.ts';
import { testContext } from '../test-context.ts';
import { subscription } from './policy.ts';

const app: ApplicationRecord = {
  id: 'app_1',
  accountId: 'acc_1',
  active: true,
  grants: new Map([['api_weather', 'pln_trial']]),
};
const consumer = { applicationId: 'app_1', accountId: 'acc_1', planId: undefined };

function run(apiId: string, config: unknown = {}, withConsumer = true) {
  const ctx = testContext({ apiId, applications: [app], ...(withConsumer ? { consumer } : {}) });
  const outcome = subscription.create(subscription.schema.parse(config))(ctx);
  return { ctx, outcome };
}

describe('subscription', () => {
  it('sets the plan and the consumer headers when the application is subscribed', () => {
    const { ctx, outcome } = run('api_weather');
    expect(outcome).toBeUndefined();
    expect(ctx.consumer?.planId).toBe('pln_trial');
    expect(Object.fromEntries(ctx.upstreamHeaders)).toEqual({
      'x-consumer-application': 'app_1',
      'x-consumer-account': 'acc_1',
      'x-consumer-plan': 'pln_trial',
    });
  });

  it('answers not-subscribed for an API the application has no grant for', () => {
    expect(run('api_other').outcome).toMatchObject({ kind: 'problem', code: 'not-subscribed' });
  });

  it('answers not-subscribed when no authenticate policy identified a consumer', () => {
    expect(run('api_weather', {}, false).outcome).toMatchObject({ code: 'not-subscribed' });
  });

  it('can keep consumer headers from the upstream', () => {
    const { ctx, outcome } = run('api_weather', { forwardConsumerHeaders: false });
    expect(outcome).toBeUndefined();
    expect(ctx.upstreamHeaders.size).toBe(0);
  });
});
