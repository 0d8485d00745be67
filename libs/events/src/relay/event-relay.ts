import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Client } from 'pg';
import type { Environment } from '#platform';
import { BrokerPublisher } from './broker-publisher';
import { WebhookRelay } from './webhook-relay';

const POLL_MS = 1000;
/**
 * How long stop() waits for webhook attempts in flight before leaving them to their lease. The
 * API's shutdown must end within 15 s, SHUTDOWN_DRAIN_MS (at most 10 s) included, and an attempt
 * may take WEBHOOK_TIMEOUT_MS (10 s by default): so not until they end.
 */
export const STOP_WAIT_MS = 3000;

/**
 * Moves the event log out of the process: wakes on PostgreSQL NOTIFY (sent by a trigger when
 * events commit), polls as the fallback (and for retries that come due), and runs one pass at a
 * time: fan out to webhooks, publish to the broker, start the due deliveries. A pass does not wait
 * for the webhook attempts it starts: each frees its slot when its outcome is recorded and kicks
 * the next pass, so a slow receiver holds up neither the fan-out, nor the broker, nor any other
 * subscription. Runs in `npm run start:worker`, or inside the API when RELAY=inline (the default
 * with the embedded database).
 */
@Injectable()
export class EventRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(EventRelay.name);
  private listener?: Client;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  /** Claims made because an attempt freed its slot, apart from the passes. */
  private delivering?: Promise<void>;
  private deliverAgain = false;
  private stopped = true;
  private reconnecting = false;

  constructor(
    private readonly webhooks: WebhookRelay,
    private readonly broker: BrokerPublisher,
    private readonly config: ConfigService<Environment, true>,
  ) {
    // A freed slot may let another delivery go (or the next event of the same interview).
    this.webhooks.onSlotFreed(() => this.kickDelivery());
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.get('RELAY', { infer: true }) === 'inline') await this.start();
  }

  /** Before the pool closes: the pass in flight finishes first, then the attempts in flight (within STOP_WAIT_MS). */
  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    await this.listen();
    this.timer = setInterval(() => {
      // After a database outage the LISTEN connection is gone: get it back, keep polling meanwhile.
      if (!this.listener && !this.reconnecting) {
        this.reconnecting = true;
        void this.listen().finally(() => (this.reconnecting = false));
      }
      this.kick();
    }, POLL_MS);
    this.timer.unref();
    this.kick();
    this.logger.log('event relay started');
  }

  async stop(): Promise<void> {
    if (!this.stopped) {
      this.stopped = true;
      clearInterval(this.timer);
      const listener = this.listener;
      this.listener = undefined;
      await listener?.end().catch(() => undefined);
    }
    await this.running;
    await this.delivering;
    // Attempts started by a pass (or a drain, with the relay never started) outlive it.
    await this.webhooks.settle(STOP_WAIT_MS);
  }

  /** Runs a pass now, or right after the current one. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => {
      this.running = undefined;
    });
  }

  /**
   * Claims due deliveries now, or right after the current claim: an attempt has freed its slot.
   * Only the claim: nothing new is in the log for the fan-out or the broker because of it, and
   * when a hundred hanging attempts time out together, one claim refills their slots.
   */
  private kickDelivery(): void {
    if (this.stopped) return;
    if (this.delivering) {
      this.deliverAgain = true;
      return;
    }
    this.delivering = (async () => {
      do {
        this.deliverAgain = false;
        try {
          await this.webhooks.deliverDue();
        } catch (error) {
          this.logger.warn(`webhook claim failed: ${(error as Error).message}`);
          return; // the poll tries again shortly
        }
      } while (this.deliverAgain && !this.stopped);
    })().finally(() => {
      this.delivering = undefined;
    });
  }

  /** One pass, and the webhook attempts in flight until they have recorded their outcome; for tests. */
  async drain(): Promise<void> {
    while (this.running) await this.running;
    await this.pass();
    await this.webhooks.idle();
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      try {
        // Again while the fan-out or the broker moved: there may be more of the log to move. The
        // claim takes every free slot at once; freed slots call for the next (kickDelivery).
        const moved = await this.pass();
        if (moved > 0) this.again = true;
      } catch (error) {
        this.logger.warn(`relay pass failed: ${(error as Error).message}`);
        return; // the poll tries again shortly
      }
    } while (this.again && !this.stopped);
  }

  private async pass(): Promise<number> {
    const fanned = await this.webhooks.fanOut();
    // The broker's confirms and the webhook receivers are independent waits: run them together.
    const [published] = await Promise.all([
      this.broker.publishPending().catch((error: Error) => {
        this.logger.warn(`broker publish failed: ${error.message}`);
        return 0;
      }),
      this.webhooks.deliverDue(),
    ]);
    return fanned + published;
  }

  private async listen(): Promise<void> {
    const client = new Client({ connectionString: this.config.get('DATABASE_URL', { infer: true }) as string });
    client.on('error', () => {
      // The poll keeps the relay going and reconnects.
      if (this.listener === client) this.listener = undefined;
      void client.end().catch(() => undefined);
    });
    client.on('notification', () => this.kick());
    try {
      await client.connect();
      await client.query('LISTEN interview_events');
      if (this.stopped) {
        await client.end();
        return;
      }
      this.listener = client;
    } catch (error) {
      this.logger.warn(`LISTEN failed, polling only: ${(error as Error).message}`);
      await client.end().catch(() => undefined);
    }
  }
}
