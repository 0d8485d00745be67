import { Query } from '@nestjs/cqrs';
import type { Actor } from '../../../domain';
import type { InterviewView } from '../../ports/interview-read-model';

/** One interview as `viewer` may see it; not_found when it is not theirs. */
export class GetInterviewQuery extends Query<InterviewView> {
  constructor(
    readonly viewer: Actor,
    readonly interviewId: string,
  ) {
    super();
  }
}
