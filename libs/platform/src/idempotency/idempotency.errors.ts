/** 409 / 422 of the Idempotency-Key protocol (API.md, "Conventions"). */
export class IdempotencyError extends Error {
  constructor(
    readonly status: 409 | 422,
    readonly code: 'idempotency_in_progress' | 'idempotency_key_reused',
    message: string,
  ) {
    super(message);
  }
}

/** A stored answer to send again as it was, with `Idempotent-Replayed: true`. */
export class ReplayedAnswer extends Error {
  constructor(
    readonly status: number,
    readonly headers: Record<string, string>,
    readonly body: string,
  ) {
    super('replayed');
  }
}
