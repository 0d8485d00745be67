import { Client } from 'pg';

/**
 * One connection to DATABASE_URL before the Nest context starts: a wrong URL, a server that is down
 * or refuses us is one line naming the cause, instead of TypeORM's retries with their stack traces.
 */
export async function probeDatabase(url: string, timeoutMs = 5_000): Promise<void> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`cannot connect to the database at ${redactUrl(url)}: ${reasonOf(error)} (check DATABASE_URL)`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A database URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'DATABASE_URL (not a valid URL)';
  }
}

function reasonOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length) return reasonOf(error.errors[0]);
  if (error instanceof Error) return error.message || (error as NodeJS.ErrnoException).code || error.name;
  return String(error);
}
