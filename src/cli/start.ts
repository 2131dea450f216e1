// `turnpike start`: its flags. The work is in run-platform.ts.

import { resolveTracingSettings } from '../gateway/tracing/settings.ts';
import { defaultMailFrom, listenerDefaults, resolveSettings, SettingsReader } from '../shared/config.ts';
import { resolveGatewaySettings } from '../shared/gateway-settings.ts';
import type { Command, FlagSpec } from './args.ts';
import { gatewayFlags } from './gateway-flags.ts';
import { storeFlags } from './store-flags.ts';

export class StartupError extends Error {}

const listeners = {
  gateway: 'gateway',
  admin: 'admin API',
  portal: 'portal',
  status: 'status port',
} as const;

const listenerFlags = Object.fromEntries(
  (Object.keys(listeners) as (keyof typeof listeners)[]).flatMap((name) => [
    [
      `${name}-port`,
      {
        type: 'string' as const,
        value: 'PORT',
        description: `Port of the ${listeners[name]} (default ${listenerDefaults[name].port}, or TURNPIKE_${name.toUpperCase()}_PORT).`,
      },
    ],
    [
      `${name}-host`,
      {
        type: 'string' as const,
        value: 'HOST',
        description: `Address the ${listeners[name]} listens on (default ${listenerDefaults[name].host}, or TURNPIKE_${name.toUpperCase()}_HOST).`,
      },
    ],
  ]),
);

const mailFlags: FlagSpec = {
  'smtp-url': {
    type: 'string',
    value: 'URL',
    description:
      'SMTP server for mail, smtp(s)://user:password@host:port (default: none, mail goes to <data dir>/outbox) (or TURNPIKE_SMTP_URL).',
  },
  'mail-from': {
    type: 'string',
    value: 'ADDRESS',
    description: `From of every mail (default "${defaultMailFrom}") (or TURNPIKE_MAIL_FROM).`,
  },
  'portal-url': {
    type: 'string',
    value: 'URL',
    description:
      'Where developers reach the portal, for links in mails, e.g. https://developer.example.com (default: its own address) (or TURNPIKE_PORTAL_URL).',
  },
};

export const startCommand: Command = {
  name: 'start',
  summary: 'Run the control plane and a gateway (embedded database unless --database-url is given).',
  usage:
    'turnpike start [--demo] [--data-dir DIR | --database-url URL] [--<gateway|admin|portal|status>-<port|host> VALUE] [--smtp-url URL] [--mail-from ADDRESS] [--portal-url URL] [--log-level LEVEL]',
  flags: {
    demo: {
      type: 'boolean',
      description: 'Also seed a sample API, plan, developer and key, and print how to call it.',
    },
    ...storeFlags,
    ...listenerFlags,
    ...mailFlags,
    ...gatewayFlags,
  },
  async run(flags) {
    const settings = resolveSettings(flags, process.env);
    const read = new SettingsReader(flags, process.env);
    const node = resolveGatewaySettings(read);
    const tracing = resolveTracingSettings(read, process.env);
    // Loaded on demand, so `turnpike --help` and the other commands start fast.
    const { runPlatform } = await import('./run-platform.ts');
    return runPlatform(settings, node, Boolean(flags.demo), tracing);
  },
};
