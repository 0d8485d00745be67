import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { EventsModule } from '#events';
import { IdentityModule } from '#identity';
import { InterviewsModule } from '#interviews';
import { PlatformModule } from '#platform';
import { CliClockModule } from './cli-clock';
import { CliName } from './cli-name';
import { CLI_COMMANDS } from './cli-commands';
import { StartupState, startupState } from './startup-state';

/** The admin CLI: the API's modules (no HTTP server, no relay) and the commands. */
@Module({
  imports: [
    // First: its Clock must be registered before the platform's (see cli-clock.ts).
    CliClockModule,
    PlatformModule,
    CqrsModule.forRoot(),
    IdentityModule,
    InterviewsModule,
    EventsModule,
  ],
  providers: [
    { provide: StartupState, useValue: startupState },
    CliName,
    ...CLI_COMMANDS,
  ],
})
export class CliModule {}
