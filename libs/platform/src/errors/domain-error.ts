/**
 * Errors a rule can raise, each with a stable code. They carry no HTTP notion: the platform's
 * exception filter maps the code to a status in one place. Pure TypeScript so the domain may use it.
 */
export type DomainErrorCode =
  | 'validation_failed'
  | 'not_found'
  | 'forbidden'
  | 'invalid_transition'
  | 'schedule_conflict'
  | 'precondition_failed'
  | 'limit_reached';

export interface FieldError {
  field: string;
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly code: DomainErrorCode;
  constructor(
    message: string,
    readonly details?: FieldError[],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationFailedError extends DomainError {
  readonly code = 'validation_failed' as const;
  /** One error per field; the message is the first field's, written as a sentence. */
  static of(details: FieldError[]): ValidationFailedError {
    if (details.length === 0) return new ValidationFailedError('the request is not valid');
    const first = details[0];
    const name = first.field.split('.').pop();
    return new ValidationFailedError(`${name} ${first.message}`, details);
  }
}

export class NotFoundError extends DomainError {
  readonly code = 'not_found' as const;
}

export class ForbiddenError extends DomainError {
  readonly code = 'forbidden' as const;
}

export class InvalidTransitionError extends DomainError {
  readonly code = 'invalid_transition' as const;
}

export class ScheduleConflictError extends DomainError {
  readonly code = 'schedule_conflict' as const;
  constructor(message = 'the interviewer already has a live interview at that time') {
    super(message);
  }
}

export class PreconditionFailedError extends DomainError {
  readonly code = 'precondition_failed' as const;
  constructor(message = 'the interview has changed since the given ETag') {
    super(message);
  }
}

/** A per-owner quota is full (webhook subscriptions per API key): remove one before adding another. */
export class LimitReachedError extends DomainError {
  readonly code = 'limit_reached' as const;
}
