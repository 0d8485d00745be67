import { Injectable } from '@nestjs/common';

/**
 * Whether the process is draining: set by the entry point on SIGTERM, read by readiness (503 at
 * once, so that load balancers move away) and by the HTTP layer (`Connection: close` on every
 * answer, so that no kept-alive connection outlives the drain).
 */
@Injectable()
export class ShutdownState {
  private since: Date | null = null;

  get draining(): boolean {
    return this.since !== null;
  }

  /** Idempotent: the first call's time stands. */
  beginDrain(): void {
    this.since ??= new Date();
  }

  get drainingSince(): Date | null {
    return this.since;
  }
}
