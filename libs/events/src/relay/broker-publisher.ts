import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ChannelModel, ConfirmChannel, connect } from 'amqplib';
import { type Environment, Sql } from '#platform';
import { EventLog } from '../event-log';

export const EXCHANGE = 'interviews';
const SUBSCRIBER = 'amqp';
const BATCH = 500;

/**
 * Publishes the event log to RabbitMQ (AMQP_URL): a durable topic exchange `interviews`, the event
 * type as routing key, the event id as messageId, persistent, with publisher confirms. The cursor
 * row is locked while a batch is out and moves only after the broker confirmed it: a crash in
 * between publishes the batch again (same messageIds), never loses it.
 */
@Injectable()
export class BrokerPublisher implements OnApplicationShutdown {
  private readonly logger = new Logger(BrokerPublisher.name);
  private connection?: ChannelModel;
  private channel?: ConfirmChannel;
  private connecting?: Promise<ConfirmChannel>;

  constructor(
    private readonly sql: Sql,
    private readonly log: EventLog,
    private readonly config: ConfigService<Environment, true>,
  ) {}

  get configured(): boolean {
    return Boolean(this.config.get('AMQP_URL', { infer: true }));
  }

  /** Readiness: connects if needed; throws when the broker cannot be reached. */
  async check(): Promise<void> {
    await this.open();
  }

  async publishPending(): Promise<number> {
    if (!this.configured) return 0;
    const channel = await this.open();
    try {
      return await this.sql.run(async (tx) => {
        await this.sql.execute(`INSERT INTO event_cursors (subscriber, position) VALUES ($1, 0) ON CONFLICT DO NOTHING`, [SUBSCRIBER], tx);
        const rows = await this.sql.query<{ position: string }>(
          `SELECT position::text FROM event_cursors WHERE subscriber = $1 FOR UPDATE SKIP LOCKED`,
          [SUBSCRIBER],
          tx,
        );
        if (rows.length === 0) return 0; // another relay holds the cursor
        const events = await this.log.after(rows[0].position, BATCH);
        for (const event of events) {
          channel.publish(EXCHANGE, event.type, Buffer.from(JSON.stringify(event)), {
            messageId: String(event.id),
            persistent: true,
            contentType: 'application/json',
            type: event.type,
            timestamp: Math.floor(Date.parse(event.occurred_at) / 1000),
          });
        }
        if (events.length) {
          await channel.waitForConfirms();
          await this.sql.execute(
            `UPDATE event_cursors SET position = $2, updated_at = now() WHERE subscriber = $1`,
            [SUBSCRIBER, events[events.length - 1].id],
            tx,
          );
        }
        return events.length;
      });
    } catch (error) {
      this.reset();
      throw error;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    const connection = this.connection;
    this.reset();
    await connection?.close().catch(() => undefined);
  }

  private open(): Promise<ConfirmChannel> {
    if (this.channel) return Promise.resolve(this.channel);
    this.connecting ??= (async () => {
      try {
        const connection = await connect(this.config.get('AMQP_URL', { infer: true }) as string, { timeout: 2000 });
        connection.on('error', (error: Error) => this.logger.warn(`broker connection error: ${error.message}`));
        connection.on('close', () => this.reset());
        const channel = await connection.createConfirmChannel();
        channel.on('error', (error: Error) => this.logger.warn(`broker channel error: ${error.message}`));
        channel.on('close', () => this.reset());
        await channel.assertExchange(EXCHANGE, 'topic', { durable: true });
        this.connection = connection;
        this.channel = channel;
        return channel;
      } finally {
        this.connecting = undefined;
      }
    })();
    return this.connecting;
  }

  private reset(): void {
    this.channel = undefined;
    this.connection = undefined;
  }
}
