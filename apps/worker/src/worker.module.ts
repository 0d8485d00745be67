import { Module } from '@nestjs/common';
import { EventsModule } from '#events';
import { PlatformModule, RetentionModule } from '#platform';

/**
 * The event relay process: the log to webhooks and RabbitMQ, and the retention job (its metrics
 * are kept in the app's MetricsRegistry; the worker serves no HTTP, so none is scraped from it).
 */
@Module({ imports: [PlatformModule, EventsModule, RetentionModule] })
export class WorkerModule {}
