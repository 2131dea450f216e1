import { describe, expect, it } from 'vitest';
import { RetryBudget } from './retry-budget.ts';

function retriesAllowed(budget: RetryBudget, now: number, percent: number, minPerSecond: number): number {
  let allowed = 0;
  while (budget.tryRetry(now, percent, minPerSecond)) allowed++;
  return allowed;
}

describe('retry budget', () => {
  it('allows budgetPercent of the requests in the window', () => {
    const budget = new RetryBudget();
    for (let i = 0; i < 100; i++) budget.recordRequest(i * 10);
    expect(retriesAllowed(budget, 1000, 20, 0)).toBe(20);
  });

  it('adds minPerSecond for each second of the window, so a quiet upstream can retry', () => {
    expect(retriesAllowed(new RetryBudget(), 0, 20, 1)).toBe(10);
  });

  it('forgets requests and retries older than ten seconds', () => {
    const budget = new RetryBudget();
    for (let i = 0; i < 100; i++) budget.recordRequest(500);
    expect(retriesAllowed(budget, 600, 10, 0)).toBe(10);
    expect(retriesAllowed(budget, 9_900, 10, 0)).toBe(0);
    expect(retriesAllowed(budget, 10_100, 10, 0)).toBe(0); // the requests went with the retries
    for (let i = 0; i < 50; i++) budget.recordRequest(10_200);
    expect(retriesAllowed(budget, 10_300, 10, 0)).toBe(5);
  });

  it('slides second by second', () => {
    const budget = new RetryBudget();
    for (let second = 0; second < 20; second++)
      for (let i = 0; i < 10; i++) budget.recordRequest(second * 1000 + i);
    // Seconds 10 to 19 are in the window: 100 requests.
    expect(retriesAllowed(budget, 19_500, 50, 0)).toBe(50);
  });
});
