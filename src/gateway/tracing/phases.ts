// The policy chains run phase by phase with a span around each, for a request being traced.
// Same order, same outcome as runChain over the whole chain; only the spans are added.
import type { PolicyResponse } from '../../policies/context.ts';
import type { CompiledPipeline, PipelinePhase } from '../pipeline/chain.ts';
import type { Exchange } from '../pipeline/exchange.ts';
import { type ChainOutcome, runChain, runSyncChain } from '../pipeline/run.ts';
import type { RequestTrace } from './request-trace.ts';

/** The request phases (pre-auth … request); `from`: the index of the phase to start at. */
export function runTracedPhases(
  pipeline: CompiledPipeline,
  exchange: Exchange,
  trace: RequestTrace,
  from = 0,
): ChainOutcome {
  const phases = pipeline.requestPhases;
  for (let p = from; p < phases.length; p++) {
    const phase = phases[p] as PipelinePhase;
    const span = trace.startPhase(phase);
    const outcome = runChain(pipeline.request, exchange, phase.start, phase.end);
    if (outcome instanceof Promise) {
      // runChain turns a policy's rejection into a response, so this promise always fulfils.
      return outcome.then((settled) => {
        trace.endPhase(span, settled);
        return settled ?? runTracedPhases(pipeline, exchange, trace, p + 1);
      });
    }
    trace.endPhase(span, outcome);
    if (outcome !== undefined) return outcome;
  }
  return undefined;
}

/** The response phase, when the upstream's head arrived; a response replaces the upstream's. */
export function runTracedResponsePhase(exchange: Exchange, trace: RequestTrace): PolicyResponse | undefined {
  const pipeline = exchange.target.pipeline;
  const phase = pipeline.responsePhase;
  if (phase === undefined) return runSyncChain(pipeline.response, exchange);
  const span = trace.startPhase(phase);
  const outcome = runSyncChain(pipeline.response, exchange);
  trace.endPhase(span, outcome);
  return outcome;
}
