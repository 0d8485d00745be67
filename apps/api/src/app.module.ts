import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { BrokerHealthIndicator, EventsModule } from '#events';
import { IdentityModule } from '#identity';
import { InterviewsModule } from '#interviews';
import { HealthModule, ObservabilityModule, PlatformModule, RetentionModule } from '#platform';

/** The HTTP process: wiring only. */
@Module({
  imports: [
    PlatformModule,
    CqrsModule.forRoot(),
    IdentityModule,
    InterviewsModule,
    EventsModule,
    HealthModule.register({ imports: [EventsModule], readiness: [BrokerHealthIndicator] }),
    ObservabilityModule,
    // Runs only with RELAY=inline (the embedded database); otherwise in the worker.
    RetentionModule,
  ],
})
export class AppModule {}
