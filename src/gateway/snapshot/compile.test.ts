import { describe, expect, it } from 'vitest';
import type { FieldError } from '../../shared/errors.ts';
import { api, consumer, route, snapshot } from '../testing/fixtures.ts';
import { UpstreamPools } from '../upstream/pools.ts';
import { compileSnapshot, validateDelta } from './compile.ts';
import { diffSnapshots } from './delta.ts';
import type { Snapshot } from './types.ts';

const pools = new UpstreamPools({ connect: 1000, headers: 1000, body: 1000 });
const base = snapshot('http://127.0.0.1:9');

function errorsOf(input: unknown): FieldError[] {
  const result = compileSnapshot(input, pools);
  if (result.ok) throw new Error('expected the snapshot to be refused');
  expect(result.problem.code).toBe('snapshot-invalid');
  return result.problem.errors ?? [];
}

function withApis(...apis: Snapshot['apis']): Snapshot {
  return { ...base, apis };
}

describe('compileSnapshot', () => {
  it('compiles a valid snapshot', () => {
    const result = compileSnapshot(base, pools);
    expect(result.ok && result.value.version).toBe(1);
    expect(result.ok && [...result.value.origins]).toEqual(['http://127.0.0.1:9']);
  });

  it('refuses something that is not a snapshot', () => {
    expect(errorsOf(null)).toEqual([{ path: '(root)', message: expect.any(String) }]);
    expect(errorsOf({ ...base, apis: [{ id: 'x' }] })[0]?.path).toMatch(/^apis\[0\]\./);
  });

  it('refuses an API that references a missing upstream', () => {
    expect(errorsOf(withApis(api({ id: 'api_a', upstreamId: 'ups_gone' })))).toEqual([
      { path: 'apis[0].upstreamId', message: 'no upstream with id ups_gone' },
    ]);
  });

  it('refuses bad route patterns and base paths', () => {
    expect(errorsOf(withApis(api({ id: 'api_a', routes: [route('/a/*/b')] })))).toEqual([
      { path: 'apis[0].routes[0].path', message: '"*" may only be the last segment' },
    ]);
    expect(errorsOf(withApis(api({ id: 'api_a', basePath: '/v1/' })))[0]?.path).toBe('apis[0].basePath');
    expect(errorsOf(withApis(api({ id: 'api_a', routes: [route('/a%zz')] })))[0]?.message).toMatch(/percent/);
  });

  it('refuses two routes that claim the same path and method', () => {
    const errors = errorsOf(
      withApis(
        api({ id: 'api_a', basePath: '/v1', routes: [route('/items/{id}', ['GET'], 'one')] }),
        api({ id: 'api_b', basePath: '/v1/items', routes: [route('/{key}', ['GET', 'PUT'], 'two')] }),
      ),
    );
    expect(errors).toEqual([{ path: 'apis[1].routes[0].path', message: expect.stringMatching(/GET/) }]);
  });

  it('allows the same path on different hosts', () => {
    const result = compileSnapshot(
      withApis(
        api({ id: 'api_a', hosts: ['a.example'], routes: [route('/*', [], 'a')] }),
        api({ id: 'api_b', hosts: ['b.example'], routes: [route('/*', [], 'b')] }),
      ),
      pools,
    );
    expect(result.ok).toBe(true);
  });

  it('refuses duplicate ids', () => {
    const errors = errorsOf(
      withApis(api({ id: 'api_a', basePath: '/a' }), api({ id: 'api_a', basePath: '/b' })),
    );
    expect(errors.map((e) => e.message)).toEqual(['duplicate API id api_a', 'duplicate route id rte_rest']);
  });

  it('refuses dangling credential references', () => {
    const orphan = consumer('app_gone', ['api_gone']);
    const errors = errorsOf({
      ...base,
      applications: [orphan.application],
      keys: [{ ...orphan.keyRecord, applicationId: 'app_none' }],
    });
    expect(errors.map((e) => e.path)).toEqual(['applications[0].grants[0].apiId', 'keys[0].applicationId']);
  });

  it('refuses an unknown policy or a bad config, naming the field, but not a switched-off one', () => {
    const policy = (fields: Record<string, unknown>) => ({
      id: 'pol_1',
      name: 'cors',
      apiId: null,
      routeId: null,
      enabled: true,
      config: {},
      ...fields,
    });
    expect(errorsOf({ ...base, policies: [policy({ name: 'teleport' })] })).toEqual([
      { path: 'policies[0].name', message: 'no policy named teleport' },
    ]);
    expect(errorsOf({ ...base, policies: [policy({ config: { origins: ['nope'] } })] })[0]?.path).toBe(
      'policies[0].config.origins[0]',
    );
    for (const off of [
      policy({ name: 'teleport', enabled: false }),
      policy({ config: { origins: ['nope'] }, enabled: false }),
    ])
      expect(compileSnapshot({ ...base, policies: [off] }, pools).ok).toBe(true);
  });

  it('refuses bad targets', () => {
    const errors = errorsOf({
      ...base,
      upstreams: [{ id: 'ups_main', name: 'm', targets: [{ url: 'ftp://x', weight: 1 }] }],
    });
    expect(errors.map((e) => e.path)).toEqual([
      'upstreams[0].targets[0].url',
      'upstreams[0].targets',
      'apis[0].upstreamId',
    ]);
  });
});

describe('validateDelta', () => {
  const added = consumer('app_new', ['api_main']);
  const delta = diffSnapshots(base, {
    ...base,
    version: 2,
    applications: [added.application],
    keys: [added.keyRecord],
  });

  it('accepts the changes between two snapshots', () => {
    expect(validateDelta(delta)).toEqual({ ok: true, value: delta });
  });

  it('refuses changes whose items do not have the shape of what they replace', () => {
    const bad = { ...delta, keys: { put: [{ ...added.keyRecord, hash: 'ABC' }], remove: [42] } };
    const result = validateDelta(bad);
    expect(!result.ok && result.problem.errors?.map((e) => e.path)).toEqual([
      'keys.put[0].hash',
      'keys.remove[0]',
    ]);
  });
});
