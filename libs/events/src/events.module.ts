import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { IdentityModule } from '#identity';
import { BrokerHealthIndicator } from './broker.health';
import { EventLog } from './event-log';
import { EventsFeedController } from './feed/events-feed.controller';
import { BrokerPublisher } from './relay/broker-publisher';
import { EventRelay } from './relay/event-relay';
import { WebhookDeliveriesRetention } from './relay/webhook-deliveries.retention';
import { WebhookRelay } from './relay/webhook-relay';
import { AdminWebhooksController } from './webhooks/admin-webhooks.controller';
import { PublicWebhooksController } from './webhooks/public-webhooks.controller';
import { WebhooksService } from './webhooks/webhooks.service';

/** The event log read side, the feed, webhook subscriptions, and the relay to webhooks and RabbitMQ. */
@Module({
  imports: [IdentityModule, TerminusModule],
  controllers: [EventsFeedController, AdminWebhooksController, PublicWebhooksController],
  providers: [EventLog, WebhooksService, WebhookRelay, BrokerPublisher, EventRelay, BrokerHealthIndicator, WebhookDeliveriesRetention],
  exports: [EventLog, EventRelay, BrokerHealthIndicator],
})
export class EventsModule {}
