import type { InterviewConfig, InterviewStatus } from '../../domain';

/**
 * One interview as the query side shows it: the interview with its interviewer, interviewee and
 * driver. Defined here, in the application's words; the read model's SQL fills it (its columns are
 * aliased to these names, so no row is copied on the way) and each API's presenter renders it.
 */
export interface InterviewView {
  id: string;
  interviewerId: string;
  intervieweeId: string;
  driverId: string;
  kind: string;
  location: string | null;
  startAt: Date;
  endAt: Date;
  amendStartAt: Date | null;
  amendEndAt: Date | null;
  amendedBy: 'interviewer' | 'interviewee' | null;
  status: InterviewStatus;
  config: InterviewConfig;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  intervieweeKind: string;
  intervieweeUpdatedAt: Date;
  driverImage: string | null;
  driverPhoneNumber: string | null;
  driverTitle: string;
  interviewerContactPhoneNumber: string | null;
  interviewerImage: string | null;
  interviewerTitle: string;
}

/** Whose interviews a reader may see: all (admins, API keys), or those they take part in. */
export type Visibility = { all: true } | { all: false; userId: string };

export interface InterviewFilter {
  status?: InterviewStatus;
  /** start_at ≥ from. */
  from?: Date;
  /** start_at < to. */
  to?: Date;
  /** Restricts to the interviews where this user is the driver (the driver-side routes). */
  driverId?: string;
  /** Case-insensitive substring of the AI interview's name. */
  keyword?: string;
  page: number;
  perPage: number;
}

export interface InterviewPage {
  /** The page, by start_at then id. */
  rows: InterviewView[];
  /** How many interviews match the filter, on every page. */
  total: number;
}

/** The query side's port: the handlers ask it, infrastructure answers (a tuned SQL read model). */
export abstract class InterviewReadModel {
  /** The interview, or null when there is none or `visibility` does not reach it. */
  abstract findOne(id: string, visibility: Visibility): Promise<InterviewView | null>;
  abstract list(filter: InterviewFilter, visibility: Visibility): Promise<InterviewPage>;
}
