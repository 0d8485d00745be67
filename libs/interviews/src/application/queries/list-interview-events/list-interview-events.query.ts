import { Query } from '@nestjs/cqrs';
import type { Actor } from '../../../domain';
import type { EventJson } from '#events';

/** The interview's domain events, oldest first, for those who may see the interview. */
export class ListInterviewEventsQuery extends Query<EventJson[]> {
  constructor(
    readonly viewer: Actor,
    readonly interviewId: string,
  ) {
    super();
  }
}
