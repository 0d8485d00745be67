import { Module } from '@nestjs/common';
import { EventsModule } from '#events';
import { PlatformModule } from '#platform';

/** The event relay process: the log to webhooks and RabbitMQ. */
@Module({ imports: [PlatformModule, EventsModule] })
export class WorkerModule {}
