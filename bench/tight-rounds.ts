// Short back-to-back wrk runs of the bare proxy, Turnpike and fast-gateway (as peers.sh starts
// them), so each ratio compares runs a few seconds apart. Load on CPU 0, like peers.sh.
import { spawnSync } from 'node:child_process';

const peerKey = 'X-API-Key: key-abc-123';
const bare = 'http://127.0.0.1:19005/x';
const fastGateway = 'http://127.0.0.1:19003/x';

export interface WrkResult {
  rps: number;
  p99Ms: number;
}

export function wrk(url: string, header: string, seconds: number): WrkResult {
  const out = spawnSync(
    'taskset',
    ['-c', '0', 'wrk', '-t1', '-c50', `-d${seconds}s`, '--latency', '-H', header, url],
    { encoding: 'utf8' },
  ).stdout;
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0);
  const p99 = /^\s*99%\s+([\d.]+)(us|ms|s)\s*$/m.exec(out);
  const scale = { us: 0.001, ms: 1, s: 1000 } as const;
  const p99Ms = p99 ? Number(p99[1]) * scale[p99[2] as keyof typeof scale] : Number.NaN;
  return { rps, p99Ms };
}

export function tightRounds(rounds: number, turnpikeUrl: string, turnpikeHeader: string): void {
  const vsBare: number[] = [];
  const vsFast: number[] = [];
  const p99: { bare: number[]; turnpike: number[] } = { bare: [], turnpike: [] };
  console.log('\nTight rounds (3 s each; req/s and p99):');
  for (let r = 1; r <= rounds; r++) {
    const b = wrk(bare, peerKey, 3);
    const t = wrk(turnpikeUrl, turnpikeHeader, 3);
    const f = wrk(fastGateway, peerKey, 3);
    vsBare.push(t.rps / b.rps);
    vsFast.push(t.rps / f.rps);
    p99.bare.push(b.p99Ms);
    p99.turnpike.push(t.p99Ms);
    console.log(
      `round ${r}: bare ${b.rps.toFixed(0)} (${b.p99Ms.toFixed(2)} ms), turnpike ${t.rps.toFixed(0)} ` +
        `(${t.p99Ms.toFixed(2)} ms), fastgw ${f.rps.toFixed(0)} (${f.p99Ms.toFixed(2)} ms); ` +
        `x bare ${(t.rps / b.rps).toFixed(3)}, x fastgw ${(t.rps / f.rps).toFixed(3)}`,
    );
  }
  console.log(`turnpike / bare proxy:  ${summary(vsBare)}`);
  console.log(`turnpike / fast-gateway: ${summary(vsFast)}`);
  console.log(
    `p99 median: bare ${median(p99.bare).toFixed(2)} ms, turnpike ${median(p99.turnpike).toFixed(2)} ms`,
  );
}

function summary(values: number[]): string {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return `mean ${mean.toFixed(3)}, median ${median(values).toFixed(3)}, range ${Math.min(...values).toFixed(3)}–${Math.max(...values).toFixed(3)}`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}
