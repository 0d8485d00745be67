import { Query } from '@nestjs/cqrs';
import type { Actor } from '../../../domain';
import type { InterviewFilter, InterviewPage } from '../../ports/interview-read-model';

export class ListInterviewsQuery extends Query<InterviewPage> {
  constructor(
    readonly viewer: Actor,
    readonly filter: InterviewFilter,
  ) {
    super();
  }
}
