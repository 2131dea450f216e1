import { describe, expect, it } from 'vitest';
import type { PolicyResponse } from '../../policies/context.ts';
import { deny } from '../../policies/context.ts';
import { testContext } from '../../policies/test-context.ts';
import { errorChannel, type GatewayErrorEvent } from '../diagnostics.ts';
import type { NamedHandler } from './chain.ts';
import { internalError, runChain } from './run.ts';

const stop = deny('not-subscribed', 'stop');

function handler(
  name: string,
  log: string[],
  outcome?: PolicyResponse | 'async' | 'throw' | 'reject',
): NamedHandler {
  return {
    name,
    handle: () => {
      log.push(name);
      if (outcome === 'async') return Promise.resolve(undefined);
      if (outcome === 'throw') throw new Error('boom');
      if (outcome === 'reject') return Promise.reject(new Error('boom'));
      return outcome;
    },
  };
}

describe('runChain', () => {
  it('runs every handler in order and stays synchronous when none is async', () => {
    const log: string[] = [];
    expect(runChain([handler('a', log), handler('b', log)], testContext())).toBeUndefined();
    expect(log).toEqual(['a', 'b']);
  });

  it('stops at the first response', () => {
    const log: string[] = [];
    expect(runChain([handler('a', log, stop), handler('b', log)], testContext())).toBe(stop);
    expect(log).toEqual(['a']);
  });

  it('continues after an async handler', async () => {
    const log: string[] = [];
    const outcome = runChain(
      [handler('a', log, 'async'), handler('b', log, stop), handler('c', log)],
      testContext(),
    );
    expect(outcome).toBeInstanceOf(Promise);
    expect(await outcome).toBe(stop);
    expect(log).toEqual(['a', 'b']);
  });

  it('turns a throwing or rejecting handler into internal-error and reports it', async () => {
    const events: GatewayErrorEvent[] = [];
    const listen = (event: unknown) => events.push(event as GatewayErrorEvent);
    errorChannel.subscribe(listen);
    try {
      expect(runChain([handler('bad', [], 'throw')], testContext())).toBe(internalError);
      expect(await runChain([handler('worse', [], 'reject')], testContext())).toBe(internalError);
    } finally {
      errorChannel.unsubscribe(listen);
    }
    expect(events.map((e) => [e.source, e.requestId])).toEqual([
      ['bad', 'req-test'],
      ['worse', 'req-test'],
    ]);
  });
});
