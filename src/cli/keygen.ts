// `turnpike keygen`: print a new well-formed secret for declarative files that set their own: an
// API key (the default), an HTTP Basic password or an HMAC signing secret.
import { generateApiKey, generateBasicPassword, generateHmacSecret } from '../shared/secrets.ts';
import { type Command, UsageError } from './args.ts';

export const keygenCommand: Command = {
  name: 'keygen',
  summary:
    'Print a new API key (tp_live_… or tp_test_…), Basic password or HMAC secret for a declarative file.',
  usage: 'turnpike keygen [--test | --basic | --hmac]',
  flags: {
    test: { type: 'boolean', description: 'Make a tp_test_ key instead of tp_live_.' },
    basic: {
      type: 'boolean',
      description: 'Make a password for a Basic credential (tpb_…; `password` of a credentials entry).',
    },
    hmac: {
      type: 'boolean',
      description: 'Make a signing secret for an HMAC credential (tph_…; `secret` of a credentials entry).',
    },
  },
  async run(flags) {
    const chosen = ['test', 'basic', 'hmac'].filter((flag) => flags[flag] === true);
    if (chosen.length > 1)
      throw new UsageError(
        `give at most one of --test, --basic and --hmac, not ${chosen.map((f) => `--${f}`).join(' and ')}`,
      );
    if (flags.basic) console.log(generateBasicPassword());
    else if (flags.hmac) console.log(generateHmacSecret());
    else console.log(generateApiKey(flags.test ? 'test' : 'live'));
    return 0;
  },
};
