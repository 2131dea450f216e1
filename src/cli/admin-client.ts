// How CLI commands talk to a running control plane: its admin API, with the admin token.
// Problems come back as readable messages, with each invalid field on its own line.
import { displayUrl } from '../shared/config.ts';
import type { Problem } from '../shared/errors.ts';
import { version } from '../shared/version.ts';
import type { FlagSpec } from './args.ts';

export const adminFlags: FlagSpec = {
  'admin-url': {
    type: 'string',
    value: 'URL',
    description:
      'Admin API of the control plane (default: $TURNPIKE_ADMIN_HOST:$TURNPIKE_ADMIN_PORT, else 127.0.0.1:8001).',
  },
  token: { type: 'string', value: 'TOKEN', description: 'Admin token (default: $TURNPIKE_ADMIN_TOKEN).' },
};

export class AdminCallError extends Error {}

export interface AdminClient {
  request(method: string, path: string, body?: unknown): Promise<unknown>;
}

export function adminClient(
  flags: Record<string, string | boolean | undefined>,
  env: NodeJS.ProcessEnv,
): AdminClient {
  const base = (
    typeof flags['admin-url'] === 'string'
      ? flags['admin-url']
      : displayUrl(env.TURNPIKE_ADMIN_HOST || '127.0.0.1', Number(env.TURNPIKE_ADMIN_PORT || 8001))
  ).replace(/\/+$/, '');
  const token = typeof flags.token === 'string' ? flags.token : env.TURNPIKE_ADMIN_TOKEN;
  if (!token) {
    throw new AdminCallError(
      'no admin token: pass --token or set TURNPIKE_ADMIN_TOKEN (the token was printed when the control plane first started)',
    );
  }
  return {
    async request(method, path, body) {
      let response: Response;
      try {
        response = await fetch(`${base}/admin/v1${path}`, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            // The audit trail records writes made through the CLI as such.
            'user-agent': `turnpike-cli/${version}`,
            ...(body !== undefined && { 'content-type': 'application/json' }),
          },
          ...(body !== undefined && { body: JSON.stringify(body) }),
        });
      } catch (error) {
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        const reason = cause?.code ?? cause?.message ?? (error as Error).message;
        throw new AdminCallError(
          `cannot reach the control plane at ${base} (${reason}); is "turnpike start" running?`,
        );
      }
      const text = await response.text();
      const parsed = text ? safeJson(text) : undefined;
      if (!response.ok) throw new AdminCallError(describeProblem(response.status, parsed, text));
      return parsed;
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function describeProblem(status: number, body: unknown, text: string): string {
  const p = body as Partial<Problem> | undefined;
  if (!p || typeof p !== 'object' || !p.title)
    return `the control plane answered ${status}: ${text.slice(0, 500)}`;
  if (p.errors?.length) return `${p.title}:\n${p.errors.map((e) => `  ${e.path}: ${e.message}`).join('\n')}`;
  return `${p.title}: ${p.detail ?? ''}`.trim();
}
