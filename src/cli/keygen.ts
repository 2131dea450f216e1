// `turnpike keygen`: print a new well-formed API key, for declarative files that set keys.
import { generateApiKey } from '../shared/secrets.ts';
import type { Command } from './args.ts';

export const keygenCommand: Command = {
  name: 'keygen',
  summary: 'Print a new API key (tp_live_… or tp_test_…) to put in a declarative file.',
  usage: 'turnpike keygen [--test]',
  flags: { test: { type: 'boolean', description: 'Make a tp_test_ key instead of tp_live_.' } },
  async run(flags) {
    console.log(generateApiKey(flags.test ? 'test' : 'live'));
    return 0;
  },
};
