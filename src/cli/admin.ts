// `turnpike admin METHOD PATH`: calls any admin API operation from a shell or a script, with the
// token and address every other command uses: key and secret rotation, revocation, admin
// tokens and users, policies, signing-key rotation… The answer is printed as JSON.
import { readFileSync } from 'node:fs';
import { adminClient, adminFlags } from './admin-client.ts';
import { type Command, UsageError } from './args.ts';

const methods = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'];

export const adminCommand: Command = {
  name: 'admin',
  summary: 'Call any admin API operation (e.g. rotate a key) and print the JSON answer.',
  usage:
    'turnpike admin METHOD PATH [-d JSON|@FILE|-] [--admin-url URL] [--token TOKEN]\n\n' +
    'PATH is under /admin/v1, for example:\n' +
    '  turnpike admin GET /applications\n' +
    '  turnpike admin POST /applications/app_…/keys/key_…/rotate -d \'{"gracePeriodSeconds":3600}\'\n' +
    '  turnpike admin POST /oauth/signing-keys/rotate',
  positionals: true,
  flags: {
    data: {
      type: 'string',
      short: 'd',
      value: 'JSON',
      description: 'Request body: JSON text, @FILE to read it from a file, or - for standard input.',
    },
    ...adminFlags,
  },
  async run(flags, positionals) {
    const [rawMethod, path, ...extra] = positionals;
    const method = rawMethod?.toUpperCase();
    if (method === undefined || path === undefined || extra.length > 0)
      throw new UsageError('give a METHOD and a PATH, such as: turnpike admin GET /apis');
    if (!methods.includes(method))
      throw new UsageError(`METHOD must be one of ${methods.join(', ')}, not "${rawMethod}"`);
    if (!path.startsWith('/'))
      throw new UsageError(`PATH must start with "/" (it is under /admin/v1), not "${path}"`);
    const body = typeof flags.data === 'string' ? parseBody(flags.data) : undefined;
    // A write without a body still sends {} (rotate, revoke): the admin API expects JSON.
    const sent = body === undefined && method !== 'GET' && method !== 'DELETE' ? {} : body;
    const answer = await adminClient(flags, process.env).request(method, path, sent);
    if (answer !== undefined) process.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
    return 0;
  },
};

function parseBody(data: string): unknown {
  let text = data;
  try {
    if (data === '-') text = readFileSync(0, 'utf8');
    else if (data.startsWith('@')) text = readFileSync(data.slice(1), 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the body from ${data}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`the body is not valid JSON: ${(error as Error).message}`);
  }
}
