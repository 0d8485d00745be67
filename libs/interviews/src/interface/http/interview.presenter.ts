import { allowedActions, type Actor, canonicalConfig, type InterviewAction, sideOf } from '../../domain';
import type { InterviewView } from '../../infrastructure/interview-read.repository';
import type { InterviewJson } from './interview.dto';

/**
 * The seed's interview JSON, key for key (UTC with milliseconds), plus config, allowed_actions
 * (from the transition table, for this viewer, now), version and timestamps.
 */
export function presentInterview(view: InterviewView, viewer: Actor, now: Date): InterviewJson {
  return {
    id: Number(view.id),
    amend_end_at: view.amend_end_at?.toISOString() ?? null,
    amend_start_at: view.amend_start_at?.toISOString() ?? null,
    amended_by: view.amended_by,
    end_at: view.end_at.toISOString(),
    interviewee: {
      id: Number(view.interviewee_id),
      driver: {
        id: Number(view.driver_id),
        image: view.driver_image,
        phone_number: view.driver_phone_number,
        title: view.driver_title,
      },
      kind: view.interviewee_kind,
      updated_at: view.interviewee_updated_at.toISOString(),
    },
    interviewee_id: Number(view.interviewee_id),
    interviewer: {
      id: Number(view.interviewer_id),
      contact_phone_number: view.interviewer_contact_phone_number,
      image: view.interviewer_image,
      title: view.interviewer_title,
    },
    interviewer_id: Number(view.interviewer_id),
    kind: view.kind,
    location: view.location,
    start_at: view.start_at.toISOString(),
    status: view.status,
    config: canonicalConfig(view.config),
    allowed_actions: actionsFor(view, viewer, now),
    version: view.version,
    created_at: view.created_at.toISOString(),
    updated_at: view.updated_at.toISOString(),
  };
}

function actionsFor(view: InterviewView, viewer: Actor, now: Date): InterviewAction[] {
  const side = sideOf(viewer, { interviewerId: view.interviewer_id, driverId: view.driver_id });
  if (!side) return [];
  return allowedActions(side, { status: view.status, amendedBy: view.amended_by, startAt: view.start_at, now });
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
