/**
 * The domain's error vocabulary. Each error knows the HTTP status it maps to, and whether its
 * message is safe to show a caller (`expose`). The one mapping to responses lives in
 * shared/runtime/http-handler.ts; anything that is not a DomainError becomes a generic 500.
 */
export class DomainError extends Error {
  readonly expose: boolean = true;
  constructor(
    readonly statusCode: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFound extends DomainError {
  constructor(what: string) {
    super(404, `${what} not found`);
  }
}

/** A uniqueness or optimistic-concurrency condition failed (DynamoDB ConditionalCheckFailed). */
export class Conflict extends DomainError {
  constructor(message: string, details?: unknown) {
    super(409, message, details);
  }
}

/** Another writer changed the item since it was read; re-reading and retrying resolves it. */
export class ConcurrentChange extends Conflict {}

export class InvalidTransition extends DomainError {
  constructor(message: string) {
    super(409, message);
  }
}

export interface FieldIssue {
  field: string;
  message: string;
}

/** Bad input: 400 with one entry per offending field, the field named by its path. */
export class ValidationFailed extends DomainError {
  constructor(readonly issues: FieldIssue[]) {
    super(400, issues.map((i) => `${i.field}: ${i.message}`).join('; '), { issues });
  }
}

/** The email or SMS service refused one message (an unverified sender, a bad or opted-out number). */
export class DeliveryRefused extends DomainError {
  constructor(message: string) {
    super(400, message);
  }
}

/**
 * The service refuses every message of this account or sender for now (sending paused, the
 * sender identity unverified, the configuration set missing): no recipient is to blame, and a
 * campaign stops rather than fail its whole audience.
 */
export class DeliveryBlocked extends DeliveryRefused {}

/**
 * The email or SMS service did not take the message for now (throttled, or a fault on its side):
 * it was not sent, and a later retry may succeed.
 */
export class DeliveryDeferred extends DomainError {
  constructor(message: string) {
    super(503, message);
  }
}

export class Unauthorized extends DomainError {
  constructor(message = 'missing or invalid bearer token') {
    super(401, message);
  }
}

export class PayloadTooLarge extends DomainError {
  constructor(message: string) {
    super(413, message);
  }
}
