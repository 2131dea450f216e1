// `turnpike apply -f FILE`: send a declarative file to the control plane, which applies it in
// one transaction; print what changed, or that nothing needed to.
import { AdminCallError, adminClient, adminFlags } from './admin-client.ts';
import { type Command, UsageError } from './args.ts';
import { readConfigFile } from './config-file.ts';

interface ApplyResponse {
  applied: boolean;
  changes: { action: 'create' | 'update' | 'delete' | 'revoke'; kind: string; name: string }[];
}

const marks = { create: '+', update: '~', delete: '-', revoke: 'x' } as const;

export const applyCommand: Command = {
  name: 'apply',
  summary: 'Make the control plane match a declarative file (YAML or JSON), in one transaction.',
  usage: 'turnpike apply -f FILE [--dry-run] [--prune] [--admin-url URL] [--token TOKEN]',
  flags: {
    file: {
      type: 'string',
      short: 'f',
      value: 'FILE',
      description: 'The file to apply; "-" reads standard input.',
    },
    'dry-run': { type: 'boolean', description: 'Show what would change without changing anything.' },
    prune: { type: 'boolean', description: 'Also delete top-level objects the file does not name.' },
    ...adminFlags,
  },
  async run(flags) {
    if (typeof flags.file !== 'string') throw new UsageError('apply needs a file: turnpike apply -f FILE');
    const file = readConfigFile(flags.file);
    if (flags.prune && namesNothing(file.data)) {
      throw new UsageError(
        `${file.name} names no upstreams, APIs, products or accounts, so --prune would delete the whole configuration; refusing. Delete objects through the admin API instead.`,
      );
    }
    const client = adminClient(flags, process.env);
    const query = new URLSearchParams();
    if (flags['dry-run']) query.set('dryRun', 'true');
    if (flags.prune) query.set('prune', 'true');
    let result: ApplyResponse;
    try {
      result = (await client.request(
        'POST',
        `/config${query.size ? `?${query}` : ''}`,
        file.data,
      )) as ApplyResponse;
    } catch (error) {
      if (error instanceof AdminCallError) throw new AdminCallError(withLines(error.message, file.lineOf));
      throw error;
    }
    const count = `${result.changes.length} change${result.changes.length === 1 ? '' : 's'}`;
    if (result.changes.length === 0) {
      console.log(`No changes: the configuration already matches ${file.name}.`);
    } else {
      console.log(
        flags['dry-run']
          ? `Dry run: applying ${file.name} would make ${count}:`
          : `Applied ${file.name}: ${count}.`,
      );
      for (const c of result.changes) console.log(`  ${marks[c.action]} ${c.kind} ${c.name}`);
    }
    return 0;
  },
};

/** Adds "(line N)" to each `  path: message` line of an error, where the file has that path. */
function withLines(message: string, lineOf: (path: string) => number | undefined): string {
  return message.replace(/^ {2}([^\s:]+): /gm, (whole, path: string) => {
    const line = lineOf(path);
    return line ? `  ${path} (line ${line}): ` : whole;
  });
}

function namesNothing(data: unknown): boolean {
  const doc = data as Record<string, unknown>;
  return ['upstreams', 'apis', 'products', 'accounts'].every(
    (k) => !Array.isArray(doc[k]) || doc[k].length === 0,
  );
}
