import { Check, Column, Entity, Exclusion, ForeignKey, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { UserEntity } from '#identity';
import type { ActorJson, InterviewConfig, InterviewKind, InterviewStatus, ProposingSide } from '../domain';

/**
 * Persistence models of the interview context: the tables of the migrations, mapped for TypeORM.
 * The write path loads and saves the aggregate through them (typeorm-interview.repository.ts);
 * schema.spec.ts checks that TypeORM finds nothing to change between them and the migrated schema.
 * Checks, the exclusion constraint and the triggers live in the migrations, which TypeORM cannot
 * express; the columns, keys, foreign keys and plain indexes are declared here as they are there.
 */
@Entity('interviewees')
@Check('interviewees_kind_check', `kind IN ('interview', 'verified', 'rejected')`)
@Index('interviewees_driver_id_idx', ['driverId'])
export class IntervieweeRecord {
  @PrimaryGeneratedColumn({ type: 'bigint', primaryKeyConstraintName: 'interviewees_pkey' }) id: string;
  @Column({ name: 'driver_id', type: 'bigint' })
  @ForeignKey(() => UserEntity, { name: 'interviewees_driver_id_fkey' })
  driverId: string;
  @Column('text') kind: 'interview' | 'verified' | 'rejected';
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' }) updatedAt: Date;
}

@Entity('interviews')
@Check('interviews_kind_check', `kind IN ('video_call', 'in_person')`)
@Check('interviews_amended_by_check', `amended_by IN ('interviewer', 'interviewee')`)
@Check('interviews_status_check', `status IN ('pending', 'scheduled', 'amended', 'rejected', 'cancelled', 'completed', 'no_show')`)
@Check('interviews_status_before_amendment_check', `status_before_amendment IN ('pending', 'scheduled')`)
@Check('interviews_times_check', `start_at < end_at`)
@Check('interviews_proposal_check', `(amend_start_at IS NULL) = (amend_end_at IS NULL)`)
/** The interviewer is never booked twice at once: the database refuses the overlap (ScheduleConflictError). */
@Exclusion(
  'interviews_interviewer_no_overlap',
  `USING gist (interviewer_id WITH =, tstzrange(start_at, end_at, '[)') WITH &&) WHERE (status IN ('pending', 'scheduled', 'amended'))`,
)
@Index('interviews_interviewer_start_idx', ['interviewerId', 'startAt', 'id'])
@Index('interviews_interviewee_start_idx', ['intervieweeId', 'startAt', 'id'])
@Index('interviews_start_idx', ['startAt', 'id'])
export class InterviewRecord {
  /** Drawn before the insert (the aggregate names itself in its first event): see the repository. */
  @PrimaryGeneratedColumn({ type: 'bigint', primaryKeyConstraintName: 'interviews_pkey' }) id: string;
  @Column({ name: 'interviewer_id', type: 'bigint' })
  @ForeignKey(() => UserEntity, { name: 'interviews_interviewer_id_fkey' })
  interviewerId: string;
  @Column({ name: 'interviewee_id', type: 'bigint' }) intervieweeId: string;
  /** Who the interviewee side is: the write path loads it with the interview, in the same locking read. */
  @ManyToOne(() => IntervieweeRecord, { nullable: false })
  @JoinColumn({ name: 'interviewee_id', foreignKeyConstraintName: 'interviews_interviewee_id_fkey' })
  interviewee?: IntervieweeRecord;
  @Column('text') kind: InterviewKind;
  @Column({ type: 'text', nullable: true }) location: string | null;
  @Column({ name: 'start_at', type: 'timestamptz' }) startAt: Date;
  @Column({ name: 'end_at', type: 'timestamptz' }) endAt: Date;
  @Column({ name: 'amend_start_at', type: 'timestamptz', nullable: true }) amendStartAt: Date | null;
  @Column({ name: 'amend_end_at', type: 'timestamptz', nullable: true }) amendEndAt: Date | null;
  @Column({ name: 'amended_by', type: 'text', nullable: true }) amendedBy: ProposingSide | null;
  @Column('text') status: InterviewStatus;
  @Column({ name: 'status_before_amendment', type: 'text', nullable: true }) statusBeforeAmendment: 'pending' | 'scheduled' | null;
  @Column({ name: 'cancel_reason', type: 'text', nullable: true }) cancelReason: string | null;
  @Column('jsonb') config: InterviewConfig;
  @Column({ type: 'int', default: 1 }) version: number;
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' }) updatedAt: Date;
}

@Entity('interview_events')
@Index('interview_events_interview_idx', ['interviewId', 'id'])
export class InterviewEventRecord {
  @PrimaryGeneratedColumn({ type: 'bigint', primaryKeyConstraintName: 'interview_events_pkey' }) id: string;
  @Column({ name: 'interview_id', type: 'bigint' })
  @ForeignKey(() => InterviewRecord, { name: 'interview_events_interview_id_fkey' })
  interviewId: string;
  @Column('text') type: string;
  @Column('jsonb') actor: ActorJson;
  @Column('jsonb') data: object;
  @Column({ name: 'occurred_at', type: 'timestamptz', default: () => 'now()' }) occurredAt: Date;
}
