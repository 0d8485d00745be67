import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  at: number;
  headers: IncomingMessage['headers'];
  body: string;
  json: { type: string; timestamp: string; data: { id: number; type: string; interview_id: number } };
}

/**
 * A real HTTP receiver on 127.0.0.1 for webhook tests. `respond` decides each answer: a status, or
 * 'hang' to never answer (a timeout for the sender).
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  respond: (hook: ReceivedWebhook, index: number) => number | 'hang' = () => 200;
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        let json: ReceivedWebhook['json'];
        try {
          json = JSON.parse(body);
        } catch {
          json = { type: '', timestamp: '', data: { id: -1, type: '', interview_id: -1 } };
        }
        const hook = { at: Date.now(), headers: req.headers, body, json };
        this.received.push(hook);
        const answer = this.respond(hook, this.received.length - 1);
        if (answer === 'hang') return;
        res.statusCode = answer;
        res.end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/hooks`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  ids(): number[] {
    return this.received.map((r) => r.json.data.id);
  }

  async waitFor(predicate: () => boolean, timeoutMs = 15000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`webhook receiver: condition not met in ${timeoutMs} ms (got ${this.received.length})`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}
