import { describe, expect, it } from 'vitest';
import { SignInThrottle } from './sign-in-throttle.ts';

describe('sign-in throttle', () => {
  it('counts attempts as they start, so a burst gets no more guesses through', () => {
    const throttle = new SignInThrottle({ maxFailures: 5 });
    const burst = SignInThrottle.key('ada@example.test', '10.0.0.9');
    const allowed = Array.from({ length: 20 }, () => throttle.attempt(burst, 1000).allowed);
    expect(allowed.filter(Boolean)).toHaveLength(5);
  });

  const key = SignInThrottle.key(' Ada@Example.test', '10.0.0.1');

  it('refuses after five failures within the window, until the window has passed', () => {
    const throttle = new SignInThrottle({ maxFailures: 5, windowMs: 60_000 });
    for (let i = 0; i < 5; i++) expect(throttle.attempt(key, 1000 + i).allowed).toBe(true);
    expect(throttle.attempt(key, 2000)).toEqual({ allowed: false, retryAfterSeconds: 59 });
    expect(throttle.attempt(key, 61_000).allowed).toBe(true);
  });

  it('counts each email and address apart, and forgets failures after a success', () => {
    const throttle = new SignInThrottle({ maxFailures: 2, windowMs: 60_000 });
    throttle.attempt(key, 0);
    throttle.attempt(key, 1);
    expect(throttle.attempt(key, 2).allowed).toBe(false);
    expect(throttle.attempt(SignInThrottle.key('ada@example.test', '10.0.0.2'), 2).allowed).toBe(true);
    expect(throttle.attempt(SignInThrottle.key('bob@example.test', '10.0.0.1'), 2).allowed).toBe(true);
    throttle.succeeded(key);
    expect(throttle.attempt(key, 3).allowed).toBe(true);
  });

  it('keeps memory bounded under a flood of made-up emails', () => {
    const throttle = new SignInThrottle({ maxEntries: 100 });
    for (let i = 0; i < 1000; i++) throttle.attempt(SignInThrottle.key(`x${i}@example.test`, '10.0.0.1'), i);
    throttle.attempt(key, 2000);
    expect(throttle.attempt(key, 2001).allowed).toBe(true); // one attempt only before, kept
  });
});
