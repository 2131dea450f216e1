// The alert form's body: % becomes a share for the share kinds, only the chosen kind's fields
// are sent, blanks are null on an update (back to the default) and left out on a create, and a
// stored webhook typed without a secret keeps its secret.
import { describe, expect, it } from 'vitest';
import type { AlertRule } from '../../api.ts';
import { bodyOf, draftOf } from './draft.ts';

const rule: AlertRule = {
  id: 'alr_01m80pdq6bq1x3rk4cr0bqzt8e',
  name: 'checkout-errors',
  description: '',
  enabled: true,
  kind: 'error-rate',
  windowMinutes: 5,
  threshold: 0.05,
  statusClass: '5xx',
  percentile: null,
  minRequests: 10,
  absoluteMinimum: null,
  repeatMinutes: null,
  scope: { apiId: 'api_01m80pdq6bq1x3rk4cr0bqzt8e' },
  channels: { webhooks: [{ url: 'https://hooks.example.com/a' }], emails: ['ops@example.com'] },
  status: { state: 'ok', since: null, value: null, threshold: null, evaluatedAt: null, firing: [] },
  createdAt: '2026-11-22T00:00:00.000Z',
  updatedAt: '2026-11-22T00:00:00.000Z',
};

describe('the alert form', () => {
  it('shows shares in % and sends them back as shares, with the stored secret kept', () => {
    const draft = draftOf(rule);
    expect(draft.threshold).toBe(5);
    expect(bodyOf(draft, true)).toEqual({
      name: 'checkout-errors',
      description: '',
      enabled: true,
      kind: 'error-rate',
      threshold: 0.05,
      windowMinutes: 5,
      statusClass: '5xx',
      minRequests: 10,
      repeatMinutes: null,
      scope: { apiId: 'api_01m80pdq6bq1x3rk4cr0bqzt8e' },
      channels: { webhooks: [{ url: 'https://hooks.example.com/a' }], emails: ['ops@example.com'] },
    });
  });

  it('sends only the fields of the kind, blanks as null on an update and left out on a create', () => {
    const draft = {
      ...draftOf(undefined),
      name: 'slow',
      kind: 'latency' as const,
      threshold: 250,
      minRequests: '',
    };
    expect(bodyOf(draft, false)).toMatchObject({ kind: 'latency', threshold: 250, percentile: 'p95' });
    expect(bodyOf(draft, false)).not.toHaveProperty('minRequests', null);
    expect(bodyOf(draft, true)).toMatchObject({ minRequests: null });
    expect(bodyOf(draft, true)).not.toHaveProperty('statusClass');
    const quota = {
      ...draftOf(undefined),
      kind: 'quota' as const,
      threshold: 80,
      apiId: 'api_x',
      planId: 'pln_y',
    };
    expect(bodyOf(quota, false)).toMatchObject({ threshold: 0.8, scope: { planId: 'pln_y' } });
    expect(bodyOf(quota, false)).not.toHaveProperty('windowMinutes');
  });
});
