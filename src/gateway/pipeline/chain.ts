// Decides which policies run on each route and in what order, once per snapshot, so a request
// only walks a ready-made array of handlers.
//
// Resolution, like Kong's plugin precedence: a policy configured on the route replaces one of
// the same name on its API, which replaces a global one; a disabled entry switches the policy
// off at that scope. An API that is not keyless needs a credential: key-auth runs when no
// authenticate policy is configured, and subscription unless configured (or switched off).
import type { Phase } from '../../policies/context.ts';
import { deny, phases } from '../../policies/context.ts';
import type {
  CreateOptions,
  CredentialHint,
  PolicyDefinition,
  PolicyHandler,
} from '../../policies/definition.ts';
import { policyNamed } from '../../policies/index.ts';
import type { SnapshotApi, SnapshotPolicy, SnapshotRoute } from '../snapshot/types.ts';

export interface NamedHandler {
  readonly name: string;
  readonly handle: PolicyHandler;
}

export interface CompiledPipeline {
  /** pre-auth … request, in order: run before the upstream is called. */
  readonly request: readonly NamedHandler[];
  /** Run when the upstream's response head arrives, before it is sent on. */
  readonly response: readonly NamedHandler[];
  /** Run after the response has been sent. */
  readonly log: readonly NamedHandler[];
  /** True when a policy answers CORS preflights, so OPTIONS may borrow this route's chain. */
  readonly answersPreflight: boolean;
  /** Where each phase's policies sit in `request`, for one span per phase when tracing. */
  readonly requestPhases: readonly PipelinePhase[];
  /** The response phase as one span, when it has policies. */
  readonly responsePhase: PipelinePhase | undefined;
}

/** Handlers `start` to `end` (exclusive) of a chain: the policies of one phase, named for traces. */
export interface PipelinePhase {
  readonly phase: Phase;
  readonly start: number;
  readonly end: number;
  readonly policies: readonly string[];
}

interface PolicyUse {
  name: string;
  config: unknown;
}

/** Policies of a snapshot by scope, for resolving each route's chain. */
export class ScopedPolicies {
  readonly #global: SnapshotPolicy[] = [];
  readonly #byApi = new Map<string, SnapshotPolicy[]>();
  readonly #byRoute = new Map<string, SnapshotPolicy[]>();

  constructor(policies: readonly SnapshotPolicy[]) {
    for (const policy of policies) {
      if (policy.routeId !== null) push(this.#byRoute, policy.routeId, policy);
      else if (policy.apiId !== null) push(this.#byApi, policy.apiId, policy);
      else this.#global.push(policy);
    }
  }

  /** The policies in force on a route, most specific winning; disabled ones included. */
  resolve(apiId: string, routeId: string): Map<string, SnapshotPolicy> {
    const effective = new Map<string, SnapshotPolicy>();
    for (const list of [this.#global, this.#byApi.get(apiId), this.#byRoute.get(routeId)]) {
      for (const policy of list ?? []) effective.set(policy.name, policy);
    }
    return effective;
  }
}

function push<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function usesFor(api: SnapshotApi, configured: Map<string, SnapshotPolicy>): PolicyUse[] {
  const uses: PolicyUse[] = [];
  for (const policy of configured.values()) {
    if (policy.enabled) uses.push({ name: policy.name, config: policy.config });
  }
  if (api.keyless) return uses;
  const authenticates = uses.some((use) => policyNamed(use.name)?.phase === 'authenticate');
  if (!authenticates && !configured.has('key-auth')) uses.push({ name: 'key-auth', config: {} });
  if (!configured.has('subscription')) uses.push({ name: 'subscription', config: {} });
  // Where a subscription is checked, its plan's limits apply (unless switched off here).
  const subscribes = uses.some((use) => use.name === 'subscription');
  if (subscribes && !configured.has('plan-limits')) uses.push({ name: 'plan-limits', config: {} });
  return uses;
}

const phaseIndex = new Map<Phase, number>(phases.map((phase, i) => [phase, i]));

interface Instance {
  phase: Phase;
  priority: number;
  handler: NamedHandler;
  hint: CredentialHint | undefined;
}

/** What every policy of a snapshot may use: the authorization server, plans, the counters. */
export type SharedOptions = Pick<
  CreateOptions,
  'authorizationServer' | 'plans' | 'counters' | 'meter' | 'requestLog'
>;

/** Builds pipelines for one snapshot; identical policy lists share one pipeline and handlers. */
export class PipelineBuilder {
  readonly #handlers = new Map<string, Instance>();
  readonly #pipelines = new Map<string, CompiledPipeline>();
  readonly #scoped: ScopedPolicies;
  readonly #shared: SharedOptions;

  constructor(policies: readonly SnapshotPolicy[] = [], shared: SharedOptions = {}) {
    this.#scoped = new ScopedPolicies(policies);
    this.#shared = shared;
  }

  /**
   * Throws on a config its policy refuses (the control plane validates each before it is
   * saved, so that means a hand-edited snapshot) and on an unknown policy name.
   */
  forRoute(api: SnapshotApi, route: SnapshotRoute): CompiledPipeline {
    const uses = usesFor(api, this.#scoped.resolve(api.id, route.id));
    // Routes of different APIs share a pipeline unless one of its policies depends on the API.
    const apiName = uses.some((use) => policyNamed(use.name)?.perApi) ? api.name : '';
    const signature = `${api.keyless}\n${apiName}\n${JSON.stringify(uses)}`;
    let pipeline = this.#pipelines.get(signature);
    if (pipeline === undefined) {
      pipeline = this.#build(uses, !api.keyless, apiName);
      this.#pipelines.set(signature, pipeline);
    }
    return pipeline;
  }

  #build(uses: PolicyUse[], credentialRequired: boolean, apiName: string): CompiledPipeline {
    const authenticating = uses.filter((use) => policyNamed(use.name)?.phase === 'authenticate').length;
    // With one way in, that policy answers a request without its credential itself; with several
    // (or none required), each lets such a request pass and the gate below decides.
    const credentialOptional = !credentialRequired || authenticating > 1;
    const bearerShared = uses.filter(readsBearer).length > 1;
    const instances = uses.map((use) => this.#instance(use, credentialOptional, bearerShared, apiName));
    instances.sort(
      (a, b) => (phaseIndex.get(a.phase) ?? 0) - (phaseIndex.get(b.phase) ?? 0) || b.priority - a.priority,
    );
    if (credentialRequired && authenticating > 1) {
      const lastAuth = instances.findLastIndex((i) => i.phase === 'authenticate');
      instances.splice(lastAuth + 1, 0, credentialGate(instances));
    }
    const of = (...wanted: Phase[]) => instances.filter((i) => wanted.includes(i.phase));
    const inPhases = (...wanted: Phase[]) => of(...wanted).map((i) => i.handler);
    const request = of('pre-auth', 'authenticate', 'authorize', 'limit', 'request');
    const response = inPhases('response');
    return {
      request: request.map((i) => i.handler),
      response,
      log: inPhases('log'),
      answersPreflight: uses.some((use) => use.name === 'cors'),
      requestPhases: phaseRuns(request),
      responsePhase:
        response.length === 0
          ? undefined
          : { phase: 'response', start: 0, end: response.length, policies: response.map((h) => h.name) },
    };
  }

  #instance(use: PolicyUse, credentialOptional: boolean, bearerShared: boolean, apiName: string): Instance {
    const definition = policyNamed(use.name);
    if (definition === undefined) throw new Error(`unknown policy ${use.name}`);
    const optional = definition.phase === 'authenticate' && credentialOptional;
    const shared = optional && bearerShared;
    const api = definition.perApi ? apiName : '';
    const key = `${use.name}\n${optional}\n${shared}\n${api}\n${JSON.stringify(use.config)}`;
    let instance = this.#handlers.get(key);
    if (instance === undefined) {
      instance = instantiate(definition, use.config, {
        ...this.#shared,
        credentialOptional: optional,
        bearerShared: shared,
        api: definition.perApi ? { name: apiName } : undefined,
      });
      this.#handlers.set(key, instance);
    }
    return instance;
  }
}

function instantiate(definition: PolicyDefinition<unknown>, raw: unknown, options: CreateOptions): Instance {
  const config = definition.schema.parse(raw);
  return {
    phase: definition.phase,
    priority: definition.priority,
    handler: { name: definition.name, handle: definition.create(config, options) },
    hint: definition.credential?.(config),
  };
}

/** The runs of one phase in instances sorted by phase. */
function phaseRuns(instances: readonly Instance[]): PipelinePhase[] {
  const runs: PipelinePhase[] = [];
  let start = 0;
  for (let i = 1; i <= instances.length; i++) {
    const phase = (instances[start] as Instance).phase;
    if (i < instances.length && (instances[i] as Instance).phase === phase) continue;
    const policies = instances.slice(start, i).map((instance) => instance.handler.name);
    runs.push({ phase, start, end: i, policies });
    start = i;
  }
  return runs;
}

/** True for an authenticate policy that reads `Authorization: Bearer` tokens. */
function readsBearer(use: PolicyUse): boolean {
  const definition = policyNamed(use.name);
  if (definition?.phase !== 'authenticate' || definition.credential === undefined) return false;
  return definition.credential(definition.schema.parse(use.config)).challenge.startsWith('Bearer');
}

/** After several optional authenticate policies: refuses a request none of them identified. */
function credentialGate(instances: Instance[]): Instance {
  const hints = instances.flatMap((i) => (i.hint === undefined ? [] : [i.hint]));
  const ways = hints.map((h) => h.description);
  const detail = `Send ${ways.slice(0, -1).join(', ')}${ways.length > 1 ? ' or ' : ''}${ways.at(-1) ?? 'a credential'}.`;
  const missing = deny('credential-missing', detail, {
    'www-authenticate': hints.map((h) => h.challenge).join(', '),
  });
  return {
    phase: 'authenticate',
    priority: Number.NEGATIVE_INFINITY,
    handler: { name: 'credential-gate', handle: (ctx) => (ctx.consumer === undefined ? missing : undefined) },
    hint: undefined,
  };
}
