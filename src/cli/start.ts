// `turnpike start`: its flags. The work is in run-platform.ts.
import { resolveSettings } from '../shared/config.ts';
import type { Command } from './args.ts';
import { storeFlags } from './store-flags.ts';

export class StartupError extends Error {}

const listenerFlags = Object.fromEntries(
  (['gateway', 'admin', 'portal', 'status'] as const).flatMap((name) => [
    [
      `${name}-port`,
      {
        type: 'string' as const,
        value: 'PORT',
        description: `Port of the ${name} (env TURNPIKE_${name.toUpperCase()}_PORT).`,
      },
    ],
    [
      `${name}-host`,
      { type: 'string' as const, value: 'HOST', description: `Address the ${name} listens on.` },
    ],
  ]),
);

export const startCommand: Command = {
  name: 'start',
  summary: 'Run the control plane and a gateway (embedded database unless --database-url is given).',
  usage:
    'turnpike start [--demo] [--data-dir DIR] [--database-url URL] [--<gateway|admin|portal|status>-port PORT]',
  flags: {
    demo: {
      type: 'boolean',
      description: 'Also seed a sample API, plan, developer and key, and print how to call it.',
    },
    ...storeFlags,
    ...listenerFlags,
    'log-level': {
      type: 'string',
      value: 'LEVEL',
      description: 'fatal, error, warn, info (default), debug, trace or silent.',
    },
  },
  async run(flags) {
    const settings = resolveSettings(flags, process.env);
    // Loaded on demand, so `turnpike --help` and the other commands start fast.
    const { runPlatform } = await import('./run-platform.ts');
    return runPlatform(settings, Boolean(flags.demo));
  },
};
