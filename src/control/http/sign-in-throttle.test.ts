import { describe, expect, it } from 'vitest';
import { SignInThrottle } from './sign-in-throttle.ts';

describe('sign-in throttle', () => {
  const key = SignInThrottle.key(' Ada@Example.test', '10.0.0.1');

  it('refuses after five failures within the window, until the window has passed', () => {
    const throttle = new SignInThrottle({ maxFailures: 5, windowMs: 60_000 });
    for (let i = 0; i < 5; i++) {
      expect(throttle.check(key, 1000 + i).allowed).toBe(true);
      throttle.failed(key, 1000 + i);
    }
    expect(throttle.check(key, 2000)).toEqual({ allowed: false, retryAfterSeconds: 59 });
    expect(throttle.check(key, 61_000).allowed).toBe(true);
  });

  it('counts each email and address apart, and forgets failures after a success', () => {
    const throttle = new SignInThrottle({ maxFailures: 2, windowMs: 60_000 });
    throttle.failed(key, 0);
    throttle.failed(key, 1);
    expect(throttle.check(key, 2).allowed).toBe(false);
    expect(throttle.check(SignInThrottle.key('ada@example.test', '10.0.0.2'), 2).allowed).toBe(true);
    expect(throttle.check(SignInThrottle.key('bob@example.test', '10.0.0.1'), 2).allowed).toBe(true);
    throttle.succeeded(key);
    expect(throttle.check(key, 3).allowed).toBe(true);
  });

  it('keeps memory bounded under a flood of made-up emails', () => {
    const throttle = new SignInThrottle({ maxEntries: 100 });
    for (let i = 0; i < 1000; i++) throttle.failed(SignInThrottle.key(`x${i}@example.test`, '10.0.0.1'), i);
    throttle.failed(key, 2000);
    expect(throttle.check(key, 2001).allowed).toBe(true); // one failure only, kept
  });
});
