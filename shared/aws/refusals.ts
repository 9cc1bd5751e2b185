/**
 * Which SDK errors mean the service refused this one message (the caller's to fix: an
 * unverified sender, a bad or opted-out number), as opposed to a fault or throttling that a
 * retry may cure. Refusals become DeliveryRefused (400), throttling and service faults (which
 * the service answered, so nothing was sent) DeliveryDeferred (503); anything else (a lost
 * connection, when the message may or may not have gone) passes through.
 */
import { DeliveryDeferred, DeliveryRefused } from '../domain/errors.ts';

const RETRYABLE = new Set(['ThrottlingException', 'TooManyRequestsException', 'LimitExceededException', 'ServiceQuotaExceededException']);

export async function refusalsAsDomainErrors<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    const name = error instanceof Error ? error.name : '';
    if (status !== undefined && status >= 400 && status < 500 && status !== 429 && !RETRYABLE.has(name)) {
      throw new DeliveryRefused(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (status === 429 || RETRYABLE.has(name) || (status !== undefined && status >= 500)) {
      throw new DeliveryDeferred(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
    throw error;
  }
}
