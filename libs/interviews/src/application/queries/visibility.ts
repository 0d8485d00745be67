import type { Actor } from '../../domain';
import type { Visibility } from '../ports/interview-read-model';

/** Admins and API keys see every interview; anyone else only those they take part in. */
export function visibilityOf(viewer: Actor): Visibility {
  return viewer.type === 'api_key' || viewer.role === 'admin' ? { all: true } : { all: false, userId: viewer.id };
}
