import { describe, expect, it } from 'vitest';
import {
  Attributes,
  ConsentEvent,
  consentSlot,
  ContactPatch,
  ContactUpsert,
  Email,
  Phone,
  canMessage,
  emptyContact,
  mergeContact,
  topicStatus,
  type Contact,
} from '../../../shared/domain/contact.ts';
import { chooseNewContactId, deriveContactId } from '../../../shared/domain/contact-id.ts';

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

describe('topics', () => {
  const newsletter = { name: 'newsletter', defaultStatus: 'subscribed' } as const; // opt-out
  const offers = { name: 'offers', defaultStatus: 'unsubscribed' } as const; // opt-in

  it.each([
    ['no topics at all', undefined, 'subscribed', 'unsubscribed'],
    ['other topics only', { other: { status: 'unsubscribed' } }, 'subscribed', 'unsubscribed'],
    ['unknown', { newsletter: { status: 'unknown' }, offers: { status: 'unknown' } }, 'subscribed', 'unsubscribed'],
    ['explicit', { newsletter: { status: 'unsubscribed' }, offers: { status: 'subscribed' } }, 'unsubscribed', 'subscribed'],
    // A raw stored item, read defensively: anything odd counts as never chosen.
    ['a wrong shape', { newsletter: 'unsubscribed', offers: { status: 'yes' } }, 'subscribed', 'unsubscribed'],
    ['not a map', 'offers', 'subscribed', 'unsubscribed'],
  ])('topicStatus with %s (%j): the opt-out topic is %s, the opt-in one %s', (_what, topics, forNewsletter, forOffers) => {
    expect(topicStatus(topics, newsletter)).toBe(forNewsletter);
    expect(topicStatus(topics, offers)).toBe(forOffers);
  });

  it("topicStatus does not take an object's own properties for a topic", () => {
    expect(topicStatus({}, { name: 'toString', defaultStatus: 'unsubscribed' })).toBe('unsubscribed');
    expect(topicStatus({}, { name: 'hasOwnProperty', defaultStatus: 'subscribed' })).toBe('subscribed');
  });

  it('mergeContact records topic consent with a history event naming the topic, only when the status changes', () => {
    // Arrange
    const contact = { ...emptyContact('ct_1', NOW), version: 1 };
    // Act
    const chose = mergeContact(
      contact,
      { topics: { offers: { status: 'subscribed', source: 'checkout' }, newsletter: { status: 'unknown' } } },
      LATER,
      'api',
    );
    const again = mergeContact(chose.contact, { topics: { offers: { status: 'subscribed' } } }, LATER, 'api');
    const left = mergeContact(chose.contact, { topics: { offers: { status: 'unsubscribed' } } }, LATER, 'api');
    // Assert: restating unknown for a topic never chosen is no change, as for a channel.
    expect(chose.contact.topics).toEqual({ offers: { status: 'subscribed', source: 'checkout', at: LATER } });
    expect(chose.consentEvents).toEqual([{ topic: 'offers', from: 'unknown', to: 'subscribed', source: 'checkout', at: LATER }]);
    expect(chose.contact.version).toBe(2);
    expect(again.changed).toBe(false);
    expect(left.consentEvents).toEqual([{ topic: 'offers', from: 'subscribed', to: 'unsubscribed', source: 'api', at: LATER }]);
    expect(left.contact.consent).toEqual(contact.consent);
    expect(contact.topics).toBeUndefined(); // the input is not changed
  });

  it('a consent event names exactly one of channel or topic, and its history slot says which', () => {
    const event = { from: 'unknown', to: 'subscribed', source: 'api', at: NOW } as const;
    expect(ConsentEvent.safeParse({ ...event, channel: 'email' }).success).toBe(true);
    expect(ConsentEvent.safeParse({ ...event, topic: 'offers' }).success).toBe(true);
    expect(ConsentEvent.safeParse(event).success).toBe(false);
    expect(ConsentEvent.safeParse({ ...event, channel: 'email', topic: 'offers' }).success).toBe(false);
    expect(consentSlot({ channel: 'sms' })).toBe('sms');
    expect(consentSlot({ topic: 'offers' })).toBe('topic:offers');
  });

  it('a change names at most 20 topics, each by a proper name', () => {
    const many = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`t${i}`, { status: 'subscribed' }]));
    expect(ContactPatch.safeParse({ topics: many }).success).toBe(false);
    expect(ContactPatch.safeParse({ topics: { 'bad-name': { status: 'subscribed' } } }).success).toBe(false);
    expect(Object.keys(ContactPatch.parse(JSON.parse('{"topics":{"__proto__":{"status":"subscribed"}}}')).topics ?? {})).toEqual([]);
    expect(ContactUpsert.safeParse({ email: 'a@example.com', topics: { offers: { status: 'maybe' } } }).success).toBe(false);
  });
});
