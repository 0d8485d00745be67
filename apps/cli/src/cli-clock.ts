import { Global, Injectable, Module } from '@nestjs/common';
import { Clock } from '#platform';

/**
 * The CLI's clock: the real time, unless `seed:demo` stands it at a moment in the past to record
 * interviews that have already happened (only an interview whose start has passed can be
 * completed or marked as a no-show) with the real commands and their events.
 */
@Injectable()
export class CliClock extends Clock {
  private at: Date | null = null;

  now(): Date {
    return this.at ? new Date(this.at) : new Date();
  }

  /** Never ahead of the real time: events would record what has not happened yet. */
  standAt(at: Date): void {
    if (at.getTime() > Date.now()) throw new Error(`the clock cannot stand in the future (${at.toISOString()})`);
    this.at = new Date(at);
  }

  /** Back to the real time. */
  reset(): void {
    this.at = null;
  }
}

/**
 * Global, and imported by CliModule before PlatformModule: a module that does not own a token
 * (the interview handlers and Clock) finds it in the global modules in the order they were
 * registered, so this Clock, not the platform's SystemClock, is the one every handler gets.
 * seed:demo fails loudly ("start_at must be in the future") if that ever stops being true.
 */
@Global()
@Module({
  providers: [CliClock, { provide: Clock, useExisting: CliClock }],
  exports: [CliClock, Clock],
})
export class CliClockModule {}
