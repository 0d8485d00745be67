import { Injectable } from '@nestjs/common';
import { InjectCommander } from 'nest-commander';

/** How the CLI is invoked, for its usage lines (commander would say "main", after main.js). */
export const CLI_NAME = 'npm run cli --';

@Injectable()
export class CliName {
  constructor(@InjectCommander() program: { name(name: string): unknown }) {
    program.name(CLI_NAME);
  }
}
