import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InterviewReadRepository, InterviewView } from '../../../infrastructure/interview-read.repository';
import { visibilityOf } from '../visibility';
import { ListInterviewsQuery } from './list-interviews.query';

@QueryHandler(ListInterviewsQuery)
export class ListInterviewsHandler implements IQueryHandler<ListInterviewsQuery> {
  constructor(private readonly reads: InterviewReadRepository) {}

  execute({ viewer, filter }: ListInterviewsQuery): Promise<{ rows: InterviewView[]; total: number }> {
    return this.reads.list(filter, visibilityOf(viewer));
  }
}
