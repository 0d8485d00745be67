import { DomainError } from '#platform';

/** Wrong input on the command line: reported without a stack, exit code 2. */
export class CliUsageError extends Error {
  constructor(
    message: string,
    readonly problems: string[] = [],
  ) {
    super(message);
    this.name = 'CliUsageError';
  }
}

/** commander's own errors (unknown command, missing or invalid option, --help); it has printed them. */
interface CommanderError {
  name: string;
  code: string;
  exitCode: number;
}

function isCommanderError(error: unknown): error is CommanderError {
  const e = error as Partial<CommanderError> | null;
  return typeof e?.code === 'string' && e.code.startsWith('commander.') && typeof e.exitCode === 'number';
}

/** Exit codes: 0 done, 1 failed, 2 wrong usage. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/**
 * Writes a failure to stderr as one message (and its details), never a stack, and returns the
 * exit code for it.
 */
export function reportFailure(error: unknown, write: (line: string) => void): number {
  if (isCommanderError(error)) {
    // commander has written the message (or the help) already
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (error instanceof CliUsageError) {
    write(`error: ${error.message}`);
    for (const problem of error.problems) write(`  ${problem}`);
    write('(add --help for usage)');
    return EXIT.usage;
  }
  if (error instanceof DomainError) {
    write(`error: ${error.message}`);
    // the message is the first detail's already
    const details = error.details ?? [];
    if (details.length > 1) for (const detail of details) write(`  ${detail.field}: ${detail.message}`);
    return EXIT.failed;
  }
  write(`error: ${messageOf(error)}`);
  return EXIT.failed;
}

export function messageOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length) return error.errors.map(messageOf).join('; ');
  if (error instanceof Error) return error.message || error.name;
  return typeof error === 'string' ? error : JSON.stringify(error);
}
