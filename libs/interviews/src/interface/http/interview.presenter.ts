import { allowedActions, type Actor, canonicalConfig, type InterviewAction, sideOf } from '../../domain';
import type { InterviewView } from '../../application/ports/interview-read-model';
import type { InterviewJson } from './interview.dto';

/**
 * The seed's interview JSON, key for key (UTC with milliseconds), plus config, allowed_actions
 * (from the transition table, for this viewer, now), version and timestamps.
 */
export function presentInterview(view: InterviewView, viewer: Actor, now: Date): InterviewJson {
  return {
    id: Number(view.id),
    amend_end_at: view.amendEndAt?.toISOString() ?? null,
    amend_start_at: view.amendStartAt?.toISOString() ?? null,
    amended_by: view.amendedBy,
    end_at: view.endAt.toISOString(),
    interviewee: {
      id: Number(view.intervieweeId),
      driver: {
        id: Number(view.driverId),
        image: view.driverImage,
        phone_number: view.driverPhoneNumber,
        title: view.driverTitle,
      },
      kind: view.intervieweeKind,
      updated_at: view.intervieweeUpdatedAt.toISOString(),
    },
    interviewee_id: Number(view.intervieweeId),
    interviewer: {
      id: Number(view.interviewerId),
      contact_phone_number: view.interviewerContactPhoneNumber,
      image: view.interviewerImage,
      title: view.interviewerTitle,
    },
    interviewer_id: Number(view.interviewerId),
    kind: view.kind,
    location: view.location,
    start_at: view.startAt.toISOString(),
    status: view.status,
    config: canonicalConfig(view.config),
    allowed_actions: actionsFor(view, viewer, now),
    version: view.version,
    created_at: view.createdAt.toISOString(),
    updated_at: view.updatedAt.toISOString(),
  };
}

function actionsFor(view: InterviewView, viewer: Actor, now: Date): InterviewAction[] {
  const side = sideOf(viewer, { interviewerId: view.interviewerId, driverId: view.driverId });
  if (!side) return [];
  return allowedActions(side, { status: view.status, amendedBy: view.amendedBy, startAt: view.startAt, now });
}

export function etagOf(version: number): string {
  return `"${version}"`;
}

/**
 * If-Match as RFC 9110 compares it (strong): `*` matches any version, weak tags never match,
 * anything unparsable matches nothing. Undefined when the header is absent.
 */
export function parseIfMatch(header: string | undefined): readonly number[] | undefined {
  if (header === undefined) return undefined;
  const tags = header.split(',').map((t) => t.trim());
  if (tags.includes('*')) return undefined;
  return tags.flatMap((tag) => {
    const match = /^"(\d{1,10})"$/.exec(tag);
    return match ? [Number(match[1])] : [];
  });
}
