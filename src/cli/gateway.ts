// `turnpike gateway`: its flags. A data-plane node without a database; the work is in
// run-gateway.ts.

import { resolveTracingSettings } from '../gateway/tracing/settings.ts';
import { listenerDefaults, logLevelOf, SettingsReader } from '../shared/config.ts';
import { resolveGatewaySettings } from '../shared/gateway-settings.ts';
import { type Command, UsageError } from './args.ts';
import { gatewayFlags } from './gateway-flags.ts';

export const gatewayCommand: Command = {
  name: 'gateway',
  summary: 'Run a data-plane node: a gateway that gets its configuration from a control plane.',
  usage:
    'turnpike gateway --control-plane URL --token TOKEN [--data-dir DIR] [--gateway-port PORT] [--status-port PORT] [--workers N] [other options below]',
  flags: {
    'control-plane': {
      type: 'string',
      value: 'URL',
      description: 'Admin API of the control plane, such as http://cp:8001 (or TURNPIKE_CONTROL_PLANE_URL).',
    },
    token: {
      type: 'string',
      value: 'TOKEN',
      description: 'An admin token of the control plane (or TURNPIKE_CONTROL_PLANE_TOKEN).',
    },
    'data-dir': {
      type: 'string',
      value: 'DIR',
      description: 'Where the last good configuration is kept (default: $TURNPIKE_DATA_DIR or ./.turnpike).',
    },
    'gateway-port': {
      type: 'string',
      value: 'PORT',
      description: `Port of the gateway (default ${listenerDefaults.gateway.port}, or TURNPIKE_GATEWAY_PORT).`,
    },
    'gateway-host': {
      type: 'string',
      value: 'HOST',
      description: `Address of the gateway (default ${listenerDefaults.gateway.host}, or TURNPIKE_GATEWAY_HOST).`,
    },
    'status-port': {
      type: 'string',
      value: 'PORT',
      description: `Port of the status server (default ${listenerDefaults.status.port}, or TURNPIKE_STATUS_PORT).`,
    },
    'status-host': {
      type: 'string',
      value: 'HOST',
      description: `Address of the status server (default ${listenerDefaults.status.host}, or TURNPIKE_STATUS_HOST).`,
    },
    ...gatewayFlags,
  },
  async run(flags) {
    const read = new SettingsReader(flags, process.env);
    const controlPlane = read.string('control-plane', 'TURNPIKE_CONTROL_PLANE_URL');
    if (!controlPlane)
      throw new UsageError(
        'gateway needs the control plane: --control-plane URL (or TURNPIKE_CONTROL_PLANE_URL)',
      );
    try {
      const url = new URL(controlPlane);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('protocol');
    } catch {
      read.fail(
        'control-plane',
        'TURNPIKE_CONTROL_PLANE_URL',
        `must be an http:// or https:// URL, not "${controlPlane}"`,
      );
    }
    const token = read.string('token', 'TURNPIKE_CONTROL_PLANE_TOKEN');
    if (!token)
      throw new UsageError(
        'gateway needs a token of the control plane: --token TOKEN (or TURNPIKE_CONTROL_PLANE_TOKEN)',
      );
    const { runGateway } = await import('./run-gateway.ts');
    return runGateway({
      controlPlane,
      token,
      dataDir: read.string('data-dir', 'TURNPIKE_DATA_DIR') ?? '.turnpike',
      gateway: read.listener('gateway'),
      status: read.listener('status'),
      logLevel: logLevelOf(read),
      node: resolveGatewaySettings(read),
      tracing: resolveTracingSettings(read, process.env),
    });
  },
};
