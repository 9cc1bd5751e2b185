import { describe, expect, it } from 'vitest';
import {
  Attributes,
  ContactUpsert,
  Email,
  Phone,
  canMessage,
  chooseNewContactId,
  deriveContactId,
  emptyContact,
  mergeContact,
  type Contact,
} from '../../../shared/domain/contact.ts';

const NOW = '2026-11-24T10:00:00.000Z';
const LATER = '2026-11-24T11:00:00.000Z';

describe('identifiers', () => {
  it('lower-cases and trims emails', () => {
    expect(Email.parse('  Ada.Lovelace@Example.COM ')).toBe('ada.lovelace@example.com');
  });

  it.each([
    ['+44 7700 900123', '+447700900123'],
    ['+1 (555) 010-9999', '+15550109999'],
  ])('normalises phone %s to E.164', (input, expected) => {
    expect(Phone.parse(input)).toBe(expected);
  });

  it.each(['07700900123', '+0447700900123', '+12', 'phone'])('rejects %s as a phone number', (input) => {
    expect(Phone.safeParse(input).success).toBe(false);
  });

  it('requires at least one identifier and names the field', () => {
    const result = ContactUpsert.safeParse({ firstName: 'Nobody' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['email']);
  });
});

describe('attributes', () => {
  it('accepts flat strings, finite numbers, booleans and null', () => {
    expect(Attributes.safeParse({ plan: 'pro', spend: 12.5, vip: true, gone: null }).success).toBe(true);
  });

  it.each([
    [{ nested: { a: 1 } }, 'nested objects'],
    [{ '1st': 'x' }, 'names starting with a digit'],
    [{ constructor: 1 }, 'the name constructor (the document client cannot store it)'],
    [{ big: 1e16 }, 'numbers beyond ±2^53'],
    [{ big: 'x'.repeat(1001) }, 'strings over 1000 characters'],
    [Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`a${i}`, i])), 'more than 50 keys'],
  ])('rejects %j (%s)', (value, _why) => {
    expect(Attributes.safeParse(value).success).toBe(false);
  });
});

describe('deriveContactId', () => {
  it('is stable for the same tenant and identifier, and differs across tenants and generations', () => {
    const id = { kind: 'email' as const, value: 'a@example.com' };
    expect(deriveContactId('t1', id)).toBe(deriveContactId('t1', id));
    expect(deriveContactId('t1', id)).not.toBe(deriveContactId('t2', id));
    expect(deriveContactId('t1', id, 1)).not.toBe(deriveContactId('t1', id));
    expect(deriveContactId('t1', id)).toMatch(/^ct_[0-9a-z]{26}$/);
  });

  it('skips a derived id held by a contact that changed address, but reuses its own half-made contact', async () => {
    const identities = [{ kind: 'email' as const, value: 'a@example.com' }];
    const first = deriveContactId('t', identities[0]!);
    const movedAway: Contact = { ...emptyContact(first, NOW), email: 'other@example.com', version: 3 };
    expect(await chooseNewContactId('t', identities, async (id) => (id === first ? movedAway : undefined))).toBe(
      deriveContactId('t', identities[0]!, 1),
    );
    const ours: Contact = { ...emptyContact(first, NOW), email: 'a@example.com', version: 1 };
    expect(await chooseNewContactId('t', identities, async (id) => (id === first ? ours : undefined))).toBe(first);
  });
});

describe('mergeContact', () => {
  const base = (): Contact => ({
    ...emptyContact('ct_1', NOW),
    email: 'a@example.com',
    attributes: { plan: 'free', score: 3 },
    version: 1,
  });

  it('reports no change when the patch restates the contact, so re-imports write nothing', () => {
    const result = mergeContact(base(), { email: 'a@example.com', attributes: { plan: 'free' } }, LATER, 'import');
    expect(result.changed).toBe(false);
    expect(result.contact.version).toBe(1);
    expect(result.contact.updatedAt).toBe(NOW);
  });

  it('merges attributes, removes those set to null, and bumps the version', () => {
    const result = mergeContact(base(), { attributes: { plan: 'pro', score: null, city: 'Paris' } }, LATER, 'api');
    expect(result.changed).toBe(true);
    expect(result.contact.attributes).toEqual({ plan: 'pro', city: 'Paris' });
    expect(result.contact.version).toBe(2);
    expect(result.contact.updatedAt).toBe(LATER);
  });

  it('records a consent event with source and time only when the status changes', () => {
    const subscribed = mergeContact(base(), { consent: { email: { status: 'subscribed', source: 'signup-form' } } }, LATER, 'api');
    expect(subscribed.contact.consent.email).toEqual({ status: 'subscribed', source: 'signup-form', at: LATER });
    expect(subscribed.consentEvents).toEqual([{ channel: 'email', from: 'unknown', to: 'subscribed', source: 'signup-form', at: LATER }]);

    const again = mergeContact(subscribed.contact, { consent: { email: { status: 'subscribed' } } }, LATER, 'api');
    expect(again.changed).toBe(false);
    expect(again.consentEvents).toEqual([]);
  });

  it('treats a brand-new contact as changed even with nothing but its identifier', () => {
    expect(mergeContact(emptyContact('ct_2', NOW), { email: 'b@example.com' }, NOW, 'api').changed).toBe(true);
  });
});

describe('canMessage', () => {
  it('needs both an address and explicit consent on the channel', () => {
    const contact: Contact = {
      ...emptyContact('ct_1', NOW),
      email: 'a@example.com',
      consent: { email: { status: 'subscribed' }, sms: { status: 'subscribed' } },
    };
    expect(canMessage(contact, 'email')).toBe(true);
    expect(canMessage(contact, 'sms')).toBe(false); // no phone
    expect(canMessage({ ...contact, consent: { ...contact.consent, email: { status: 'unknown' } } }, 'email')).toBe(false);
  });
});
