import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { BrokerHealthIndicator, EventsModule } from '#events';
import { IdentityModule } from '#identity';
import { InterviewsModule } from '#interviews';
import { HealthModule, ObservabilityModule, PlatformModule } from '#platform';

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
  ],
})
export class AppModule {}
