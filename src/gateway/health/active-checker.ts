// Active health checks of one target: a GET of `path` every `intervalMs`, answered with 2xx or 3xx
// within `timeoutMs` to count as healthy. `unhealthyThreshold` failures in a row take the target
// out of rotation, `healthyThreshold` successes in a row bring it back. Once a probe disagrees
// with the target's state, the confirming probes come `intervalMs / threshold` apart, so the change
// takes effect within one interval of the first probe that saw it.
//
// Probes run on timers that do not keep the process alive, one at a time per target, through the
// target's own connection pool; nothing waits for them.
import type { ActiveHealthCheck } from '../../shared/upstream-settings.ts';
import type { UpstreamDispatcher } from '../upstream/h1/dispatch.ts';
import { probeStatus } from '../upstream/h1/probe.ts';
import type { RecoveryClock, TargetHealth } from './target-health.ts';

const userAgent = 'turnpike-health-check';

class ProbeAborted extends Error {
  override name = 'ProbeAborted';
  code = 'TP_PROBE_ABORTED';
}
const timedOut = new ProbeAborted('the health probe timed out');
const stopped = new ProbeAborted('the health checks were stopped');

function abortProbe(controller: AbortController): void {
  controller.abort(timedOut);
}

export class ActiveChecker implements RecoveryClock {
  readonly #health: TargetHealth;
  #config: ActiveHealthCheck;
  #pool: UpstreamDispatcher;
  #host: string;
  #successes = 0;
  #failures = 0;
  #timer: NodeJS.Timeout | undefined = undefined;
  #probe: AbortController | undefined = undefined;
  #lastStart = Number.NEGATIVE_INFINITY;
  #nextAt = 0;
  #stopped = false;
  readonly #run = (): void => {
    this.#timer = undefined;
    void this.#check();
  };

  /** Starts probing at once. */
  constructor(health: TargetHealth, config: ActiveHealthCheck, pool: UpstreamDispatcher, host: string) {
    this.#health = health;
    this.#config = config;
    this.#pool = pool;
    this.#host = host;
    health.probes = this;
    this.#schedule();
  }

  /** New settings from a reload: the schedule continues from the last probe, state is kept. */
  configure(config: ActiveHealthCheck, pool: UpstreamDispatcher, host: string): void {
    const old = this.#config;
    this.#config = config;
    this.#pool = pool;
    this.#host = host;
    const respace =
      config.intervalMs !== old.intervalMs ||
      config.healthyThreshold !== old.healthyThreshold ||
      config.unhealthyThreshold !== old.unhealthyThreshold;
    if (respace && this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#schedule();
    }
  }

  /** Stops probing, and aborts a probe in flight; its answer is ignored. */
  stop(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#probe?.abort(stopped);
    if (this.#health.probes === this) this.#health.probes = undefined;
  }

  recoveryAt(): number {
    const remaining = Math.max(1, this.#config.healthyThreshold) - this.#successes;
    return this.#nextAt + Math.max(0, remaining - 1) * this.#spacing();
  }

  #spacing(): number {
    const { intervalMs, healthyThreshold, unhealthyThreshold } = this.#config;
    if (this.#health.activeHealthy)
      return this.#failures > 0 ? intervalMs / Math.max(1, unhealthyThreshold) : intervalMs;
    return this.#successes > 0 ? intervalMs / Math.max(1, healthyThreshold) : intervalMs;
  }

  #schedule(): void {
    const now = performance.now();
    const delay = Math.max(0, this.#lastStart + this.#spacing() - now);
    this.#nextAt = now + delay;
    this.#timer = setTimeout(this.#run, delay);
    this.#timer.unref();
  }

  async #check(): Promise<void> {
    this.#lastStart = performance.now();
    const healthy = await this.#send();
    if (this.#stopped) return;
    this.#record(healthy);
    this.#schedule();
  }

  async #send(): Promise<boolean> {
    const { path, timeoutMs } = this.#config;
    const controller = new AbortController();
    this.#probe = controller;
    const timer = setTimeout(abortProbe, timeoutMs, controller);
    timer.unref();
    try {
      const status = await probeStatus(this.#pool, {
        path,
        headers: ['host', this.#host, 'user-agent', userAgent],
        signal: controller.signal,
        timeoutMs,
      });
      return status >= 200 && status < 400;
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
      this.#probe = undefined;
    }
  }

  #record(healthy: boolean): void {
    const health = this.#health;
    const config = this.#config;
    if (healthy) {
      this.#failures = 0;
      if (health.activeHealthy || ++this.#successes < Math.max(1, config.healthyThreshold)) return;
      this.#successes = 0;
      health.activeHealthy = true;
    } else {
      this.#successes = 0;
      if (!health.activeHealthy || ++this.#failures < Math.max(1, config.unhealthyThreshold)) return;
      this.#failures = 0;
      health.activeHealthy = false;
    }
    health.update('active');
  }
}
