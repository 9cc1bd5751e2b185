/**
 * Which SDK errors mean the service refused this one message (the caller's to fix: an
 * unverified sender, a bad or opted-out number), as opposed to a fault or throttling that a
 * retry may cure. Refusals become DeliveryRefused (400), throttling and service faults (which
 * the service answered, so nothing was sent) DeliveryDeferred (503); anything else (a lost
 * connection, when the message may or may not have gone) passes through.
 */
import { DeliveryBlocked, DeliveryDeferred, DeliveryRefused } from '../domain/errors.ts';

/** Refusals about the account or sender, not the recipient: DeliveryBlocked. */
const BLOCKED = new Set([
  'SendingPausedException',
  'AccountSuspendedException',
  'MailFromDomainNotVerifiedException',
  'ConfigurationSetDoesNotExistException',
  'NotFoundException',
  'AccessDeniedException',
]);

const RETRYABLE = new Set(['ThrottlingException', 'TooManyRequestsException', 'LimitExceededException', 'ServiceQuotaExceededException']);

export async function refusalsAsDomainErrors<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    const name = error instanceof Error ? error.name : '';
    const text = error instanceof Error ? error.message : String(error);
    if (status !== undefined && status >= 400 && status < 500 && status !== 429 && !RETRYABLE.has(name)) {
      if (BLOCKED.has(name) || /not verified/i.test(text)) throw new DeliveryBlocked(`${name}: ${text}`);
      throw new DeliveryRefused(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (status === 429 || RETRYABLE.has(name) || (status !== undefined && status >= 500)) {
      throw new DeliveryDeferred(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
    throw error;
  }
}
