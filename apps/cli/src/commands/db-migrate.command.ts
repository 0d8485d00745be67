import { InjectDataSource } from '@nestjs/typeorm';
import { Command } from 'nest-commander';
import { DataSource } from 'typeorm';
import { StartupState } from '../startup-state';
import { CliCommand } from './cli-command';

/**
 * The service applies pending migrations whenever it starts (`migrationsRun`, all in one
 * transaction), and so does this CLI: by the time this command runs they are in. It applies any
 * that are still pending, then reports what this run applied and the state of the schema.
 */
@Command({ name: 'db:migrate', description: 'Apply pending migrations and report which ran and the state of the schema' })
export class DbMigrateCommand extends CliCommand {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly startup: StartupState,
  ) {
    super();
  }

  async run(): Promise<void> {
    await this.dataSource.runMigrations({ transaction: 'all' });

    const table = this.dataSource.options.migrationsTableName ?? 'migrations';
    const applied: string[] = (await this.dataSource.query(`SELECT name FROM "${table}" ORDER BY id`)).map((row: { name: string }) => row.name);
    const before = new Set(this.startup.migrationsBefore);
    const ranNow = applied.filter((name) => !before.has(name));
    const known = this.dataSource.migrations.map((migration) => migration.name ?? migration.constructor.name);
    const pending = known.filter((name) => !applied.includes(name));
    const unknown = applied.filter((name) => !known.includes(name));

    if (ranNow.length) {
      this.print(`Applied ${ranNow.length} migration${ranNow.length === 1 ? '' : 's'}:`);
      for (const name of ranNow) this.print(`  ${name}`);
    }
    if (pending.length) {
      // Not reached while the migrations run at start; said plainly should that ever change.
      throw new Error(`migrations still pending: ${pending.join(', ')}`);
    }
    const latest = applied.at(-1) ?? 'none';
    this.print(`No pending migrations: the database is up to date (${applied.length} applied, latest ${latest}).`);
    if (unknown.length) {
      this.print(`Note: ${unknown.length} applied migration${unknown.length === 1 ? ' is' : 's are'} unknown to this build (${unknown.join(', ')}): is it older than the database?`);
    }
  }
}
