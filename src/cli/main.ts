// The `turnpike` command: dispatches to a subcommand, prints help, and turns expected failures
// into one readable line and a non-zero exit code (2 for usage errors, 1 otherwise).
import { SettingsError } from '../shared/config.ts';
import { version } from '../shared/version.ts';
import { DataDirLockedError } from '../store/lock.ts';
import { adminCommand } from './admin.ts';
import { AdminCallError } from './admin-client.ts';
import { applyCommand } from './apply.ts';
import { type Command, helpText, parseFlags, UsageError } from './args.ts';
import { ConfigFileError } from './config-file.ts';
import { exportCommand } from './export.ts';
import { gatewayCommand } from './gateway.ts';
import { keygenCommand } from './keygen.ts';
import { migrateCommand } from './migrate.ts';
import { StartupError, startCommand } from './start.ts';

const commands: Command[] = [
  startCommand,
  gatewayCommand,
  applyCommand,
  exportCommand,
  migrateCommand,
  keygenCommand,
  adminCommand,
];

function overview(): string {
  const rows = commands.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n');
  return `Turnpike ${version}: API gateway, developer portal and admin API in one process.\n\nUsage: turnpike <command> [options]\n\nCommands:\n${rows}\n\nRun "turnpike <command> --help" for a command's options.\n`;
}

const expected = [
  UsageError,
  SettingsError,
  AdminCallError,
  ConfigFileError,
  DataDirLockedError,
  StartupError,
];

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name) {
    process.stderr.write(overview());
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(overview());
    return 0;
  }
  if (name === '--version' || name === '-v') {
    console.log(version);
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  try {
    if (!command)
      throw new UsageError(`unknown command "${name}"\nRun "turnpike --help" for the list of commands.`);
    const { values, positionals } = parseFlags(command, rest);
    if (values.help) {
      process.stdout.write(helpText(command));
      return 0;
    }
    if (positionals.length && !command.positionals)
      throw new UsageError(
        `unexpected argument "${positionals[0]}"\nRun "turnpike ${name} --help" for usage.`,
      );
    return await command.run(values, positionals);
  } catch (error) {
    if (expected.some((kind) => error instanceof kind)) {
      console.error(`turnpike: ${(error as Error).message}`);
      return error instanceof UsageError || (error instanceof SettingsError && error.fromFlag) ? 2 : 1;
    }
    console.error(error);
    return 1;
  }
}
