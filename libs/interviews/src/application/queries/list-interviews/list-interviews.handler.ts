import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InterviewReadModel, type InterviewPage } from '../../ports/interview-read-model';
import { visibilityOf } from '../visibility';
import { ListInterviewsQuery } from './list-interviews.query';

@QueryHandler(ListInterviewsQuery)
export class ListInterviewsHandler implements IQueryHandler<ListInterviewsQuery> {
  constructor(private readonly reads: InterviewReadModel) {}

  execute({ viewer, filter }: ListInterviewsQuery): Promise<InterviewPage> {
    return this.reads.list(filter, visibilityOf(viewer));
  }
}
