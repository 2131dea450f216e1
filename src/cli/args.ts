// Flag parsing for every subcommand: strict (an unknown flag is an error), with each command's
// help text, and usage errors reported as one readable line with exit code 2.
import { parseArgs } from 'node:util';

export class UsageError extends Error {}

export type FlagSpec = Record<
  string,
  { type: 'string' | 'boolean'; short?: string; description: string; value?: string }
>;

export interface Command {
  name: string;
  summary: string;
  usage: string;
  flags: FlagSpec;
  /** True when the command takes arguments besides its flags. */
  positionals?: boolean;
  run(flags: Record<string, string | boolean | undefined>, positionals: string[]): Promise<number>;
}

export function parseFlags(command: Command, argv: string[]) {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...command.flags, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: true,
    });
    return { values: values as Record<string, string | boolean | undefined>, positionals };
  } catch (error) {
    // Node's message may add hints on further lines; the first line says what is wrong.
    const [first] = (error as Error).message.split('\n');
    throw new UsageError(
      `${first?.replace(/\. To specify.*$/, '')}\nRun "turnpike ${command.name} --help" for usage.`,
    );
  }
}

export function helpText(command: Command): string {
  const rows = Object.entries(command.flags).map(([name, spec]) => {
    const left = `${spec.short ? `-${spec.short}, ` : '    '}--${name}${spec.type === 'string' ? ` ${spec.value ?? 'VALUE'}` : ''}`;
    return `  ${left.padEnd(30)} ${spec.description}`;
  });
  rows.push(`  ${'-h, --help'.padEnd(30)} Show this help.`);
  return `${command.summary}\n\nUsage: ${command.usage}\n\nOptions:\n${rows.join('\n')}\n`;
}
