import { Query } from '@nestjs/cqrs';
import type { Actor } from '../../../domain';
import type { InterviewEventView } from '../../../infrastructure/interview-event-read.repository';

/** The interview's domain events, oldest first, for those who may see the interview. */
export class ListInterviewEventsQuery extends Query<InterviewEventView[]> {
  constructor(
    readonly viewer: Actor,
    readonly interviewId: string,
  ) {
    super();
  }
}
