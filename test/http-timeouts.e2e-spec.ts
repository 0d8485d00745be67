import { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect, Socket } from 'node:net';
import { join } from 'node:path';
import { DIST, freePort, startApp, stopProcess, waitFor } from './support/processes';

/**
 * "Protocol details": slow or stalled requests are cut off. The built API with short limits, driven
 * over raw sockets: a body trickled at 1 byte per second, headers trickled, and a connection left idle.
 */
const HEADERS_MS = 1000;
const REQUEST_MS = 2500;
const KEEP_ALIVE_MS = 1000;

interface Outcome {
  /** What the server wrote before it closed (a 408 status line, or nothing). */
  received: string;
  closedAfterMs: number;
}

/** Opens a socket, writes `head` at once and then one byte of `trickle` per `everyMs`; resolves when the server closes. */
function trickle(port: number, head: string, rest: string, everyMs: number, giveUpMs: number): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket: Socket = connect(port, '127.0.0.1');
    let received = '';
    let sent = 0;
    let timer: NodeJS.Timeout | undefined;
    const finish = () => {
      clearInterval(timer);
      clearTimeout(giveUp);
      resolve({ received, closedAfterMs: Date.now() - started });
    };
    const giveUp = setTimeout(() => {
      clearInterval(timer);
      socket.destroy();
      reject(new Error(`the server still held the connection after ${giveUpMs} ms`));
    }, giveUpMs);
    socket.on('connect', () => {
      if (head) socket.write(head);
      timer = setInterval(() => {
        if (sent < rest.length && !socket.destroyed) socket.write(rest[sent++]);
      }, everyMs);
    });
    socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
    socket.on('error', () => undefined); // a reset counts as closed
    socket.on('close', finish);
  });
}

describe('HTTP timeouts (slow-loris)', () => {
  let app: ChildProcess | undefined;
  let port: number;

  beforeAll(async () => {
    if (!existsSync(join(DIST, 'apps', 'api', 'src', 'main.js'))) throw new Error('run npm run build first (npm test does)');
    port = await freePort();
    app = startApp({
      PORT: String(port),
      DATABASE_URL: process.env.DATABASE_URL,
      HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_MS),
      HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_MS),
      HTTP_KEEP_ALIVE_TIMEOUT_MS: String(KEEP_ALIVE_MS),
    });
    await waitFor(
      () =>
        fetch(`http://127.0.0.1:${port}/health/live`).then((r) => r.status === 200),
      30000,
      'live',
    );
  }, 60_000);
  afterAll(() => stopProcess(app, 'SIGKILL'));

  it('cuts off a body sent at 1 byte per second with 408 within the request timeout', async () => {
    const body = JSON.stringify({ user: { email: 'slow@example.org', password: 'x'.repeat(40) } });
    const head = `POST /api/v1/auth/sign_in HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
    const outcome = await trickle(port, head, body, 1000, REQUEST_MS + 5000);
    expect(outcome.received).toMatch(/^HTTP\/1\.1 408 /);
    expect(outcome.closedAfterMs).toBeLessThan(REQUEST_MS + 1500);
  }, 20_000);

  it('cuts off headers trickled byte by byte within the headers timeout', async () => {
    const head = 'GET /health/live HTTP/1.1\r\nHost: x\r\nX-Padding: ' + 'a'.repeat(200);
    const outcome = await trickle(port, '', head, 100, HEADERS_MS + 5000);
    expect(outcome.received === '' || /^HTTP\/1\.1 408 /.test(outcome.received)).toBe(true);
    expect(outcome.closedAfterMs).toBeLessThan(HEADERS_MS + 1500);
  }, 20_000);

  it('closes a kept-alive connection left idle after its request', async () => {
    const outcome = await trickle(port, 'GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n', '', 1000, KEEP_ALIVE_MS + 5000);
    expect(outcome.received).toMatch(/^HTTP\/1\.1 200 /);
    expect(outcome.closedAfterMs).toBeLessThan(KEEP_ALIVE_MS + 1500);
  }, 20_000);

  it('still answers a request that arrives in time', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/health/live`);
    expect(res.status).toBe(200);
  });
});
