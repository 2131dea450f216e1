// `turnpike export`: the whole configuration as a declarative file (keys as hashes), to standard
// output or a file. Applying it again changes nothing.
import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { adminClient, adminFlags } from './admin-client.ts';
import { type Command, UsageError } from './args.ts';

export const exportCommand: Command = {
  name: 'export',
  summary: 'Print the whole configuration as a declarative file (keys as SHA-256 hashes).',
  usage: 'turnpike export [-o FILE] [--format yaml|json] [--admin-url URL] [--token TOKEN]',
  flags: {
    output: {
      type: 'string',
      short: 'o',
      value: 'FILE',
      description: 'Write to FILE instead of standard output.',
    },
    format: {
      type: 'string',
      value: 'yaml|json',
      description: 'Output format (default: yaml, or json for a .json FILE).',
    },
    ...adminFlags,
  },
  async run(flags) {
    const output = typeof flags.output === 'string' ? flags.output : undefined;
    const format =
      typeof flags.format === 'string' ? flags.format : output?.endsWith('.json') ? 'json' : 'yaml';
    if (format !== 'yaml' && format !== 'json')
      throw new UsageError(`--format must be yaml or json, not "${format}"`);
    const document = await adminClient(flags, process.env).request('GET', '/config');
    const text =
      format === 'json' ? `${JSON.stringify(document, null, 2)}\n` : stringify(document, { lineWidth: 0 });
    if (output) {
      writeFileSync(output, text);
      console.error(`Exported the configuration to ${output}.`);
    } else {
      process.stdout.write(text);
    }
    return 0;
  },
};
