import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { DIST, waitFor } from './support/processes';

/**
 * Production logging to stdout gathers lines into batches (libs/platform/src/observability/logging.ts):
 * a lone line must still come out while the process lives, and what is pending when it exits must
 * not be lost. Run in a child process on the built module, with stdout a pipe as under a supervisor.
 */
function logger(script: string) {
  const logging = join(DIST, 'libs', 'platform', 'src', 'observability', 'logging.js');
  const child = spawn(
    process.execPath,
    [
      '-e',
      `const { pino } = require('pino');
       const [options, destination] = require(${JSON.stringify(logging)}).loggingParams({ level: 'info', tty: false }).pinoHttp;
       const log = pino(options, destination);
       ${script}`,
    ],
    { cwd: join(DIST, '..'), stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { lines: () => out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { msg: string }), child, exited };
}

describe('request logs on stdout', () => {
  it('writes a lone line while the process keeps running, without waiting for a batch to fill', async () => {
    const { lines, child, exited } = logger(`log.info('only line'); setTimeout(() => {}, 20000);`);
    try {
      await waitFor(async () => lines().some((l) => l.msg === 'only line'), 10_000, 'the lone line');
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
  });

  it('writes every pending line when the process exits', async () => {
    const { lines, exited } = logger(`for (let i = 0; i < 50; i++) log.info('line ' + i); process.exit(0);`);
    await exited;
    expect(lines().map((l) => l.msg)).toEqual(Array.from({ length: 50 }, (_, i) => `line ${i}`));
  });
});
