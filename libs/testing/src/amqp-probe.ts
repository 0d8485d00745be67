import { Channel, ChannelModel, connect, ConsumeMessage } from 'amqplib';

/** A private queue bound to the `interviews` exchange, collecting what the relay publishes. */
export class AmqpProbe {
  readonly messages: ConsumeMessage[] = [];
  private connection?: ChannelModel;
  private channel?: Channel;

  static get url(): string | undefined {
    return process.env.AMQP_URL || undefined;
  }

  async start(exchange = 'interviews', pattern = '#'): Promise<void> {
    this.connection = await connect(AmqpProbe.url!);
    this.channel = await this.connection.createChannel();
    await this.channel.assertExchange(exchange, 'topic', { durable: true });
    const { queue } = await this.channel.assertQueue('', { exclusive: true, autoDelete: true });
    await this.channel.bindQueue(queue, exchange, pattern);
    await this.channel.consume(queue, (msg) => msg && this.messages.push(msg), { noAck: true });
  }

  ids(): number[] {
    return this.messages.map((m) => Number(m.properties.messageId));
  }

  async waitFor(predicate: () => boolean, timeoutMs = 20000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`amqp probe: condition not met in ${timeoutMs} ms (got ${this.messages.length})`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async stop(): Promise<void> {
    await this.connection?.close().catch(() => undefined);
  }
}
