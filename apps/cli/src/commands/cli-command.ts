import { CommandRunner } from 'nest-commander';

type Commander = Parameters<CommandRunner['setCommand']>[0];

/** Every CLI command: writes its answer to stdout, and lets commander's errors reach main.ts. */
export abstract class CliCommand extends CommandRunner {
  override setCommand(command: Commander): this {
    // Without this, commander calls process.exit() on a missing or invalid option, before the
    // Nest context is closed and the embedded database stopped; main.ts sets the exit code instead.
    command.exitOverride();
    command.showHelpAfterError('(add --help for usage)');
    return super.setCommand(command);
  }

  protected print(line = ''): void {
    process.stdout.write(`${line}\n`);
  }

  protected printJson(value: unknown): void {
    this.print(JSON.stringify(value, null, 2));
  }

  protected note(line: string): void {
    process.stderr.write(`${line}\n`);
  }
}
