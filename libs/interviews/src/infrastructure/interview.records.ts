import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { InterviewConfig, InterviewKind, InterviewStatus, ProposingSide } from '../domain';

/** Persistence models: the tables of the initial migration, mapped for TypeORM. */
@Entity('interviewees')
export class IntervieweeRecord {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column({ name: 'driver_id', type: 'bigint' }) driverId: string;
  @Column('text') kind: 'interview' | 'verified' | 'rejected';
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

@Entity('interviews')
export class InterviewRecord {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column({ name: 'interviewer_id', type: 'bigint' }) interviewerId: string;
  @Column({ name: 'interviewee_id', type: 'bigint' }) intervieweeId: string;
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
  @Column('int') version: number;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

@Entity('interview_events')
export class InterviewEventRecord {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column({ name: 'interview_id', type: 'bigint' }) interviewId: string;
  @Column('text') type: string;
  @Column('jsonb') actor: Record<string, unknown>;
  @Column('jsonb') data: Record<string, unknown>;
  @Column({ name: 'occurred_at', type: 'timestamptz' }) occurredAt: Date;
}
