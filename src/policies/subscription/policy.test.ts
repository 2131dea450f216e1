import { describe, expect, it } from 'vitest';
import type { ApplicationRecord } from '../context.ts';
import { testConsumer, testContext } from '../test-context.ts';
import { headerSafe, subscription } from './policy.ts';

const app: ApplicationRecord = {
  id: 'app_1',
  accountId: 'acc_1',
  tier: 'standard',
  active: true,
  grants: new Map([['api_weather', 'pln_trial']]),
};
const consumer = testConsumer({ applicationId: 'app_1', accountId: 'acc_1' });

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

describe('subscription consumer headers from a token', () => {
  it('forwards the end user and scopes, percent-encoding what is not printable ASCII', () => {
    const ctx = testContext({
      apiId: 'api_weather',
      applications: [app],
      consumer: { ...consumer, subject: 'José 日本', scopes: new Set(['read', 'write']) },
    });
    expect(subscription.create(subscription.schema.parse({}))(ctx)).toBeUndefined();
    const subject = ctx.upstreamHeaders.get('x-consumer-subject') ?? '';
    expect(subject).toMatch(/^[\x20-\x7e]+$/);
    expect(decodeURIComponent(subject)).toBe('José 日本');
    expect(ctx.upstreamHeaders.get('x-consumer-scopes')).toBe('read write');
  });

  it('leaves a plain ASCII subject as it is, and encodes "%" so decoding is exact', () => {
    expect(headerSafe('user-42|auth0')).toBe('user-42|auth0');
    expect(decodeURIComponent(headerSafe('100%\nline'))).toBe('100%\nline');
  });
});
