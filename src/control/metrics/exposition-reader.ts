// A strict reader of the Prometheus text format 0.0.4, for tests of what /metrics answers:
// every line must be a HELP, a TYPE, a blank line or a sample of a family whose HELP and TYPE came first.
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  types: Map<string, string>;
  samples: Sample[];
}

const metricName = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const labelValue = '"(?:[^"\\\\\\n]|\\\\[\\\\"n])*"';
const label = `[a-zA-Z_][a-zA-Z0-9_]*=${labelValue}`;
// Values as Go's ParseFloat reads them, which Prometheus uses: NaN and Inf in any case (prom-client
// writes `Nan`).
const sampleLine = new RegExp(
  `^(${metricName})(?:\\{((?:${label})(?:,${label})*,?)?\\})? ((?:[nN][aA][nN])|[+-]?(?:[iI][nN][fF](?:[iI][nN][iI][tT][yY])?)|[+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?)(?: -?\\d+)?$`,
);
const helpLine = new RegExp(`^# HELP (${metricName}) (.*)$`);
const typeLine = new RegExp(`^# TYPE (${metricName}) (counter|gauge|histogram|summary|untyped)$`);
const labelPair = new RegExp(`([a-zA-Z_][a-zA-Z0-9_]*)=(${labelValue})`, 'g');

function parseValue(text: string): number {
  if (/inf/i.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  return Number(text); // NaN for any spelling of NaN
}

/** The family a sample belongs to: histograms and summaries add suffixes to their name. */
function familyOf(name: string, types: Map<string, string>): string | undefined {
  if (types.has(name)) return name;
  const base = name.replace(/_(bucket|sum|count)$/, '');
  const type = types.get(base);
  return type === 'histogram' || type === 'summary' ? base : undefined;
}

/** Parses `text`, throwing on the first line that breaks the format. */
export function parseExposition(text: string): Exposition {
  if (!text.endsWith('\n')) throw new Error('the exposition does not end with a line feed');
  const helps = new Set<string>();
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const [index, line] of text.slice(0, -1).split('\n').entries()) {
    const fail = (why: string) => new Error(`line ${index + 1}: ${why}: ${line}`);
    if (line === '') continue;
    const help = helpLine.exec(line);
    if (help) {
      if (helps.has(help[1] as string)) throw fail('a second HELP');
      helps.add(help[1] as string);
      continue;
    }
    const type = typeLine.exec(line);
    if (type) {
      if (types.has(type[1] as string)) throw fail('a second TYPE');
      types.set(type[1] as string, type[2] as string);
      continue;
    }
    if (line.startsWith('#')) throw fail('an unknown comment');
    const sample = sampleLine.exec(line);
    if (!sample) throw fail('not a sample');
    const name = sample[1] as string;
    const family = familyOf(name, types);
    if (family === undefined || !helps.has(family)) throw fail('a sample before its HELP and TYPE');
    const labels: Record<string, string> = {};
    for (const [, key, value] of (sample[2] ?? '').matchAll(labelPair))
      labels[key as string] = JSON.parse(value as string) as string;
    samples.push({ name, labels, value: parseValue(sample[3] as string) });
  }
  return { types, samples };
}

/** The value of the one sample with this name and these labels (others may be present); undefined if none. */
export function sampleValue(
  exposition: Exposition,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const found = exposition.samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return found[0]?.value;
}
