/** The acting principal of a command, in the domain's terms (no HTTP, no JWT). */
export type Actor =
  | { type: 'user'; id: string; role: 'interviewer' | 'driver' | 'admin' }
  | { type: 'api_key'; id: string };

/** As recorded in an event: ids as numbers, as everywhere in the JSON. */
export interface ActorJson {
  type: 'user' | 'api_key';
  id: number;
  role?: string;
}

export function actorJson(actor: Actor): ActorJson {
  return actor.type === 'user' ? { type: 'user', id: Number(actor.id), role: actor.role } : { type: 'api_key', id: Number(actor.id) };
}

/** The side an actor acts for on an interview, or null when it is not theirs to see. */
export function sideOf(
  actor: Actor,
  participants: { interviewerId: string; driverId: string },
): 'interviewer' | 'interviewee' | 'admin' | 'api_key' | null {
  if (actor.type === 'api_key') return 'api_key';
  if (actor.role === 'admin') return 'admin';
  if (actor.id === participants.interviewerId) return 'interviewer';
  if (actor.id === participants.driverId) return 'interviewee';
  return null;
}
