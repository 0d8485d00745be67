import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EventsModule } from '#events';
import { IdentityModule } from '#identity';
import { AcceptInterviewHandler } from './application/commands/accept-interview/accept-interview.handler';
import { AmendInterviewHandler } from './application/commands/amend-interview/amend-interview.handler';
import { CancelInterviewHandler } from './application/commands/cancel-interview/cancel-interview.handler';
import { CompleteInterviewHandler } from './application/commands/complete-interview/complete-interview.handler';
import { CreateInterviewHandler } from './application/commands/create-interview/create-interview.handler';
import { DeclineAmendmentHandler } from './application/commands/decline-amendment/decline-amendment.handler';
import { MarkNoShowHandler } from './application/commands/mark-no-show/mark-no-show.handler';
import { RejectInterviewHandler } from './application/commands/reject-interview/reject-interview.handler';
import { UpdateInterviewConfigHandler } from './application/commands/update-interview-config/update-interview-config.handler';
import { LogLineOnInterviewEventHandler } from './application/event-handlers/log-line-on-interview-event.handler';
import { InterviewChanges } from './application/interview-changes';
import { GetInterviewHandler } from './application/queries/get-interview/get-interview.handler';
import { ListInterviewEventsHandler } from './application/queries/list-interview-events/list-interview-events.handler';
import { ListInterviewsHandler } from './application/queries/list-interviews/list-interviews.handler';
import { IntervieweeRepository, InterviewRepository } from './domain';
import { IntervieweeDirectory } from './infrastructure/interviewee-directory';
import { InterviewReadModel } from './application/ports/interview-read-model';
import { SqlInterviewReadModel } from './infrastructure/sql-interview-read-model';
import { InterviewEventRecord, IntervieweeRecord, InterviewRecord } from './infrastructure/interview.records';
import { TypeOrmIntervieweeRepository } from './infrastructure/typeorm-interviewee.repository';
import { TypeOrmInterviewRepository } from './infrastructure/typeorm-interview.repository';
import { AdminIntervieweesController } from './interface/http/admin-interviewees.controller';
import { DriverInterviewsController } from './interface/http/driver-interviews.controller';
import { InterviewResponder } from './interface/http/interview-responder';
import { InterviewsController } from './interface/http/interviews.controller';
import { PublicInterviewsController } from './interface/http/public-interviews.controller';

const commandHandlers = [
  CreateInterviewHandler,
  AmendInterviewHandler,
  AcceptInterviewHandler,
  DeclineAmendmentHandler,
  RejectInterviewHandler,
  CancelInterviewHandler,
  CompleteInterviewHandler,
  MarkNoShowHandler,
  UpdateInterviewConfigHandler,
];
const queryHandlers = [GetInterviewHandler, ListInterviewsHandler, ListInterviewEventsHandler];

/** The interview context: its aggregate, commands, queries, read models and routes. */
@Module({
  imports: [IdentityModule, EventsModule, TypeOrmModule.forFeature([InterviewRecord, IntervieweeRecord, InterviewEventRecord])],
  controllers: [InterviewsController, DriverInterviewsController, AdminIntervieweesController, PublicInterviewsController],
  providers: [
    ...commandHandlers,
    ...queryHandlers,
    LogLineOnInterviewEventHandler,
    InterviewChanges,
    InterviewResponder,
    { provide: InterviewReadModel, useClass: SqlInterviewReadModel },
    IntervieweeDirectory,
    { provide: InterviewRepository, useClass: TypeOrmInterviewRepository },
    { provide: IntervieweeRepository, useClass: TypeOrmIntervieweeRepository },
  ],
})
export class InterviewsModule {}
