// Decides which policies run on an API and in what order, once per snapshot, so a request only
// walks a ready-made array of handlers.
import type { Phase } from '../../policies/context.ts';
import { phases } from '../../policies/context.ts';
import type { PolicyHandler } from '../../policies/definition.ts';
import { policyNamed } from '../../policies/index.ts';
import type { SnapshotApi } from '../snapshot/types.ts';

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
}

interface PolicyUse {
  name: string;
  config: unknown;
}

/** Every API is authenticated and authorized unless it is keyless. */
function policiesFor(api: SnapshotApi): PolicyUse[] {
  if (api.keyless) return [];
  return [
    { name: 'key-auth', config: {} },
    { name: 'subscription', config: {} },
  ];
}

const phaseIndex = new Map<Phase, number>(phases.map((phase, i) => [phase, i]));

/** Builds pipelines for one snapshot; identical policy configs share one handler. */
export class PipelineBuilder {
  readonly #handlers = new Map<string, { phase: Phase; priority: number; handler: NamedHandler }>();
  readonly #pipelines = new Map<string, CompiledPipeline>();

  /** Throws only on a bug: the configs here are the gateway's own or validated before. */
  forApi(api: SnapshotApi): CompiledPipeline {
    const uses = policiesFor(api);
    const signature = JSON.stringify(uses);
    let pipeline = this.#pipelines.get(signature);
    if (pipeline === undefined) {
      pipeline = this.#build(uses);
      this.#pipelines.set(signature, pipeline);
    }
    return pipeline;
  }

  #build(uses: PolicyUse[]): CompiledPipeline {
    const instances = uses.map((use) => this.#instance(use));
    instances.sort(
      (a, b) => (phaseIndex.get(a.phase) ?? 0) - (phaseIndex.get(b.phase) ?? 0) || b.priority - a.priority,
    );
    const inPhases = (...wanted: Phase[]) =>
      instances.filter((i) => wanted.includes(i.phase)).map((i) => i.handler);
    return {
      request: inPhases('pre-auth', 'authenticate', 'authorize', 'limit', 'request'),
      response: inPhases('response'),
      log: inPhases('log'),
    };
  }

  #instance(use: PolicyUse) {
    const key = `${use.name}\n${JSON.stringify(use.config)}`;
    let instance = this.#handlers.get(key);
    if (instance === undefined) {
      const definition = policyNamed(use.name);
      if (definition === undefined) throw new Error(`unknown policy ${use.name}`);
      const handle = definition.create(definition.schema.parse(use.config));
      instance = {
        phase: definition.phase,
        priority: definition.priority,
        handler: { name: use.name, handle },
      };
      this.#handlers.set(key, instance);
    }
    return instance;
  }
}
