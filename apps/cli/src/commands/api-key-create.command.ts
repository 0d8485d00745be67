import { Command, Option } from 'nest-commander';
import { ApiKeysService } from '#identity';
import { CliUsageError } from '../cli-errors';
import { CliCommand } from './cli-command';

@Command({
  name: 'api-key:create',
  description: 'Issue an API key for the public API and print it once, as JSON (only its hash is kept)',
})
export class ApiKeyCreateCommand extends CliCommand {
  constructor(private readonly keys: ApiKeysService) {
    super();
  }

  @Option({ flags: '--name <name>', description: 'what the key is for, 1 to 100 characters', required: true })
  parseName(value: string): string {
    return value.trim();
  }

  async run(_args: string[], options: { name?: string }): Promise<void> {
    const name = options.name ?? '';
    if (name.length < 1 || name.length > 100) throw new CliUsageError('invalid input', ['--name: must be 1 to 100 characters']);
    const { entity, key } = await this.keys.issue(name, null);
    this.printJson({
      id: Number(entity.id),
      name: entity.name,
      prefix: `ik_${entity.prefix}`,
      key,
      created_at: entity.createdAt.toISOString(),
    });
    this.note('Keep the key now: it is not shown again. Send it as the x-api-key header.');
  }
}
