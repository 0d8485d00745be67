import { type DynamicModule, Module, type Provider, type Type } from '@nestjs/common';
import { ApiKeyCreateCommand } from './commands/api-key-create.command';
import { DbMigrateCommand } from './commands/db-migrate.command';
import { SeedDemoCommand } from './commands/seed-demo.command';
import { UserCreateCommand } from './commands/user-create.command';
import { CliName } from './cli-name';

/** Every command of the CLI: CliModule runs them, the help module describes them. */
export const CLI_COMMANDS: Type[] = [UserCreateCommand, ApiKeyCreateCommand, SeedDemoCommand, DbMigrateCommand];

@Module({})
class CliHelpModule {}

/**
 * The context for `--help`, `--version` and a bare `npm run cli`: commander's help is built from the
 * commands' decorators alone, so the commands get their constructor dependencies as empty stand-ins
 * and no module that opens a database is loaded. Help then answers at once, with no database
 * anywhere. The stand-ins are derived from the constructors' metadata, so a new dependency of a
 * command needs no change here.
 */
export function cliHelpModule(): DynamicModule {
  const tokens = new Set<unknown>();
  for (const command of CLI_COMMANDS) {
    const types: unknown[] = Reflect.getMetadata('design:paramtypes', command) ?? [];
    const injected: { index: number; param: unknown }[] = Reflect.getMetadata('self:paramtypes', command) ?? [];
    types.forEach((type, index) => tokens.add(injected.find((entry) => entry.index === index)?.param ?? type));
  }
  const standIns: Provider[] = [...tokens].map((token) => ({ provide: token as Type, useValue: {} }));
  return { module: CliHelpModule, providers: [CliName, ...CLI_COMMANDS, ...standIns] };
}

/** Whether these arguments only ask for usage: commander answers them without running a command. */
export function asksForHelp(args: string[]): boolean {
  if (args.length === 0) return true;
  return args.some((arg) => ['--help', '-h', 'help', '--version', '-V'].includes(arg));
}
