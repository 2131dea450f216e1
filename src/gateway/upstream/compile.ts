// Compiles a snapshot's upstreams: targets checked and split, each given its pool and its health
// record, a balancer per upstream, and the list of what the snapshot uses so the pools can let go
// of the rest once it is served. Nothing here starts or stops probes (see UpstreamPools.retainOnly).
import type { FieldError } from '../../shared/errors.ts';
import { parseTargetUrl } from '../../shared/target-url.ts';
import { healthKey } from '../health/registry.ts';
import type { SnapshotUpstream } from '../snapshot/types.ts';
import type { Target } from './balancer.ts';
import { UpstreamPools, UpstreamUsage } from './pools.ts';
import { Upstream } from './upstream.ts';

export interface CompiledUpstreams {
  readonly upstreams: Map<string, Upstream>;
  readonly usage: UpstreamUsage;
}

export function compileUpstreams(
  upstreams: readonly SnapshotUpstream[],
  pools: UpstreamPools,
  errors: FieldError[],
): CompiledUpstreams {
  const compiled = new Map<string, Upstream>();
  const usage = new UpstreamUsage();
  for (const [i, upstream] of upstreams.entries()) {
    const at = `upstreams[${i}]`;
    if (compiled.has(upstream.id))
      errors.push({ path: `${at}.id`, message: `duplicate upstream id ${upstream.id}` });
    const { connectMs } = upstream.timeouts;
    const targets: Target[] = [];
    for (const [j, target] of upstream.targets.entries()) {
      const parts = parseTargetUrl(target.url);
      if (typeof parts === 'string') {
        errors.push({ path: `${at}.targets[${j}].url`, message: parts });
        continue;
      }
      if (target.weight <= 0) continue;
      const url = parts.origin + parts.pathPrefix;
      const pool = pools.get(parts.origin, connectMs);
      const health = pools.health.adopt(upstream.id, upstream.name, parts.origin, url);
      targets.push({ ...parts, url, weight: target.weight, pool, health });
      usage.add(parts.origin);
      usage.pools.add(UpstreamPools.key(parts.origin, connectMs));
      const key = healthKey(upstream.id, parts.origin);
      // Targets of one upstream on one origin share a health record; the first names it.
      if (!usage.health.has(key))
        usage.health.set(key, {
          upstreamId: upstream.id,
          upstreamName: upstream.name,
          target: url,
          active: upstream.healthChecks.active,
          passive: upstream.healthChecks.passive !== null,
          pool,
          host: parts.host,
        });
    }
    if (targets.length === 0) {
      errors.push({
        path: `${at}.targets`,
        message: 'needs at least one valid target with a positive weight',
      });
      continue;
    }
    usage.upstreams.add(upstream.id);
    compiled.set(
      upstream.id,
      new Upstream(upstream.id, upstream.name, upstream, targets, pools.budget(upstream.id)),
    );
  }
  return { upstreams: compiled, usage };
}
