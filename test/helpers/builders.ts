/** Test-data builders: unique contacts per call, with overrides. */
import { ulid } from 'ulid';
import type { ContactUpsert } from '../../shared/domain/contact.ts';

let sequence = 0;

export function aContact(overrides: Partial<ContactUpsert> = {}): ContactUpsert {
  sequence++;
  const unique = ulid().toLowerCase().slice(-10);
  return {
    email: `person.${unique}@example.com`,
    firstName: 'Test',
    lastName: `Person${sequence}`,
    ...overrides,
  };
}

/** A phone number unique within a test run. */
export function aPhone(): string {
  return `+4477${String(Date.now() % 1e6).padStart(6, '0')}${String(sequence++ % 100).padStart(2, '0')}`;
}

export const randomTenant = () => `t-${ulid().toLowerCase().slice(-12)}`;
