import { Query } from '@nestjs/cqrs';
import type { Actor } from '../../../domain';
import type { InterviewFilter, InterviewView } from '../../../infrastructure/interview-read.repository';

export class ListInterviewsQuery extends Query<{ rows: InterviewView[]; total: number }> {
  constructor(
    readonly viewer: Actor,
    readonly filter: InterviewFilter,
  ) {
    super();
  }
}
