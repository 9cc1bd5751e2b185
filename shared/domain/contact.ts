/**
 * Contacts: who Herald may message, on which channel, with what consent.
 * Pure: schemas, normalisation and merge rules. Storage lives in shared/db/contact-repo.ts.
 */
import * as z from 'zod';

export const Channel = z.enum(['email', 'sms']);
export type Channel = z.infer<typeof Channel>;

export const ConsentStatus = z.enum(['subscribed', 'unsubscribed', 'unknown']);
export type ConsentStatus = z.infer<typeof ConsentStatus>;

/** Consent on one channel: the status plus where and when it was given or withdrawn. */
export const ConsentState = z.object({
  status: ConsentStatus,
  source: z.string().max(100).optional(),
  at: z.iso.datetime().optional(),
});
export type ConsentState = z.infer<typeof ConsentState>;

/** What a caller may say about consent: a status and, optionally, where it came from. */
export const ConsentChange = z.object({
  status: ConsentStatus,
  source: z.string().min(1).max(100).optional(),
});
export type ConsentChange = z.infer<typeof ConsentChange>;

/**
 * A number DynamoDB and its document client can store: finite, within ±2^53 (larger ones need
 * BigInt, and the client refuses them) and not vanishingly small (DynamoDB's exponent floor).
 */
export const isStorableNumber = (n: number) =>
  Number.isFinite(n) && Math.abs(n) <= Number.MAX_SAFE_INTEGER && (n === 0 || Math.abs(n) >= 1e-100);
export const STORABLE_NUMBER_MESSAGE = 'must be 0 or a number from 1e-100 to 9007199254740991 in size';
export const StorableNumber = z.number().refine(isStorableNumber, STORABLE_NUMBER_MESSAGE);

/** Bytes of a string as UTF-8, as Buffer.byteLength counts them, in Node and in the browser alike. */
export const utf8Length = (s: string) => new TextEncoder().encode(s).byteLength;

export const ATTRIBUTE_LIMITS = { maxKeys: 50, maxStringLength: 1000, maxJsonBytes: 16_384 } as const;

/** An attribute (or event property) name: 1-64 letters, digits or _, not starting with a digit. */
export const NAME_PATTERN = '[A-Za-z_][A-Za-z0-9_]{0,63}';
/**
 * Names JavaScript objects give a meaning of their own: stored as keys they break the document
 * client (a key `constructor` makes a map look like a class instance) or an object's prototype.
 */
export const RESERVED_NAMES: ReadonlySet<string> = new Set(['constructor', '__proto__', 'prototype']);
export const isName = (name: string) => new RegExp(`^${NAME_PATTERN}$`).test(name) && !RESERVED_NAMES.has(name);
export const Name = (what: string) =>
  z
    .string()
    .regex(new RegExp(`^${NAME_PATTERN}$`), `${what} names are 1-64 letters, digits or _, not starting with a digit`)
    .refine((n) => !RESERVED_NAMES.has(n), `${what} names may not be constructor, __proto__ or prototype`);
const AttributeName = Name('attribute');
/** A workspace topic's name (newsletter, offers): the key of a contact's topic consent. */
export const TopicName = Name('topic');
/** Topics one request may change consent for (a workspace has at most 20). */
export const MAX_TOPICS = 20;
const AttributeValue = z.union([z.string().max(ATTRIBUTE_LIMITS.maxStringLength), StorableNumber, z.boolean(), z.null()]);

/** Free-form attributes for segmentation and personalisation: flat, typed, bounded in size. */
export const Attributes = z
  .record(AttributeName, AttributeValue)
  .refine((a) => Object.keys(a).length <= ATTRIBUTE_LIMITS.maxKeys, `at most ${ATTRIBUTE_LIMITS.maxKeys} attributes`)
  .refine(
    (a) => utf8Length(JSON.stringify(a)) <= ATTRIBUTE_LIMITS.maxJsonBytes,
    `attributes may take at most ${ATTRIBUTE_LIMITS.maxJsonBytes} bytes as JSON`,
  );
export type Attributes = z.infer<typeof Attributes>;

/** Lower-cased, trimmed address; the form used for identity and search. */
export const Email = z.string().trim().toLowerCase().pipe(z.email('must be an email address').max(254));

/** E.164: a plus sign, a country code and up to 15 digits. Spaces, dashes and brackets are dropped. */
export const Phone = z
  .string()
  .transform((s) => s.replace(/[\s\-().]/g, ''))
  .pipe(z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 phone number such as +447700900123'));

export const ExternalId = z.string().trim().min(1).max(128);

/** IANA time zone name, checked against the runtime's own zone database (memoised: the check builds a formatter). */
const knownZones = new Map<string, boolean>();
export const TimeZone = z
  .string()
  .max(64)
  .refine((tz) => {
    let valid = knownZones.get(tz);
    if (valid === undefined) {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        valid = true;
      } catch {
        valid = false;
      }
      if (knownZones.size < 1000) knownZones.set(tz, valid);
    }
    return valid;
  }, 'must be an IANA time zone such as Europe/Paris');

export const Locale = z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a BCP 47 locale such as en-GB');

export const ContactFields = z.object({
  email: Email.optional(),
  phone: Phone.optional(),
  externalId: ExternalId.optional(),
  firstName: z.string().trim().max(100).optional(),
  lastName: z.string().trim().max(100).optional(),
  timezone: TimeZone.optional(),
  locale: Locale.optional(),
  preferredChannel: Channel.optional(),
});

/** The contact's own fields, in one list derived from the schema (merge, import mapping, segment fields). */
export const CONTACT_FIELD_NAMES = ContactFields.keyof().options;

export const Contact = ContactFields.extend({
  contactId: z.string(),
  attributes: Attributes,
  consent: z.object({ email: ConsentState, sms: ConsentState }),
  /**
   * Consent per workspace topic, as given; a topic not named here is `unknown`, and its
   * default decides (topicStatus). Absent on contacts that never had one.
   */
  topics: z.record(TopicName, ConsentState).optional(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  /** Incremented on every change; used for optimistic concurrency. */
  version: z.number().int().nonnegative(),
});
export type Contact = z.infer<typeof Contact>;

/** Topic consent changes: topic name → change (the names must be the workspace's topics). */
const TopicChanges = z.record(TopicName, ConsentChange).refine((t) => Object.keys(t).length <= MAX_TOPICS, `at most ${MAX_TOPICS} topics`);

/**
 * A create-or-update by identifier. At least one of email, phone or externalId identifies the
 * contact. Attributes merge into the existing ones; an attribute set to null is removed.
 */
export const ContactUpsert = ContactFields.extend({
  attributes: Attributes.optional(),
  consent: z.object({ email: ConsentChange.optional(), sms: ConsentChange.optional() }).optional(),
  topics: TopicChanges.optional(),
}).refine((c) => c.email !== undefined || c.phone !== undefined || c.externalId !== undefined, {
  message: 'one of email, phone or externalId is required',
  path: ['email'],
});
export type ContactUpsert = z.infer<typeof ContactUpsert>;

/** A partial update of a known contact; identifiers may change, as long as none is taken. */
export const ContactPatch = ContactFields.extend({
  attributes: Attributes.optional(),
  consent: z.object({ email: ConsentChange.optional(), sms: ConsentChange.optional() }).optional(),
  topics: TopicChanges.optional(),
});
export type ContactPatch = z.infer<typeof ContactPatch>;

export const IdentityKind = z.enum(['email', 'phone', 'externalId']);
export type IdentityKind = z.infer<typeof IdentityKind>;
export interface Identity {
  kind: IdentityKind;
  value: string;
}

/** A map key for an identifier: `email:a@example.com`. */
export const identityKey = (identity: Identity) => `${identity.kind}:${identity.value}`;

/** The identifiers a contact or request carries, strongest first (externalId, email, phone). */
export function identitiesOf(c: { email?: string; phone?: string; externalId?: string }): Identity[] {
  const ids: Identity[] = [];
  if (c.externalId !== undefined) ids.push({ kind: 'externalId', value: c.externalId });
  if (c.email !== undefined) ids.push({ kind: 'email', value: c.email });
  if (c.phone !== undefined) ids.push({ kind: 'phone', value: c.phone });
  return ids;
}

const UNKNOWN: ConsentState = { status: 'unknown' };

/** A brand-new contact, before any upsert fields are applied. */
export function emptyContact(contactId: string, now: string): Contact {
  return {
    contactId,
    attributes: {},
    consent: { email: UNKNOWN, sms: UNKNOWN },
    createdAt: now,
    updatedAt: now,
    version: 0,
  };
}

/** One change of consent on one channel or one topic: kept forever as the contact's consent history. */
export const ConsentEvent = z
  .object({
    channel: Channel.optional(),
    topic: z.string().optional(),
    from: ConsentStatus,
    to: ConsentStatus,
    source: z.string(),
    at: z.iso.datetime(),
  })
  .refine((e) => (e.channel === undefined) !== (e.topic === undefined), 'names exactly one of channel or topic');
export type ConsentEvent = z.infer<typeof ConsentEvent>;

/** What a consent event is about, as one string (its place in the history's key): `email`, `sms` or `topic:<name>`. */
export const consentSlot = (e: Pick<ConsentEvent, 'channel' | 'topic'>): string => e.channel ?? `topic:${e.topic}`;

export interface MergeResult {
  contact: Contact;
  /** False when the patch restates what the contact already says: nothing needs writing. */
  changed: boolean;
  consentEvents: ConsentEvent[];
}

/**
 * Applies an upsert or patch to a contact. Pure; the caller writes the result only when
 * `changed`, which is what makes re-importing the same file a no-op.
 */
export function mergeContact(current: Contact, patch: ContactPatch, now: string, defaultSource: string): MergeResult {
  const next: Contact = { ...current, attributes: { ...current.attributes }, consent: { ...current.consent } };
  for (const field of CONTACT_FIELD_NAMES) {
    const value = patch[field];
    if (value !== undefined) (next as Record<string, unknown>)[field] = value;
  }
  for (const [name, value] of Object.entries(patch.attributes ?? {})) {
    if (value === null) delete next.attributes[name];
    else next.attributes[name] = value;
  }
  const consentEvents: ConsentEvent[] = [];
  for (const channel of Channel.options) {
    const change = patch.consent?.[channel];
    if (change === undefined || change.status === current.consent[channel].status) continue;
    const source = change.source ?? defaultSource;
    next.consent[channel] = { status: change.status, source, at: now };
    consentEvents.push({ channel, from: current.consent[channel].status, to: change.status, source, at: now });
  }
  for (const [topic, change] of Object.entries(patch.topics ?? {})) {
    // A topic never chosen is `unknown`: restating that writes nothing, as for a channel.
    const from = current.topics?.[topic]?.status ?? 'unknown';
    if (change.status === from) continue;
    const source = change.source ?? defaultSource;
    next.topics = { ...next.topics, [topic]: { status: change.status, source, at: now } };
    consentEvents.push({ topic, from, to: change.status, source, at: now });
  }
  const changed = current.version === 0 || !sameContent(current, next);
  if (changed) {
    next.updatedAt = now;
    next.version = current.version + 1;
  }
  return { contact: next, changed, consentEvents };
}

function sameContent(a: Contact, b: Contact): boolean {
  return stableJson({ ...a, updatedAt: '', version: 0 }) === stableJson({ ...b, updatedAt: '', version: 0 });
}

function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([x], [y]) => x.localeCompare(y)))
      : v,
  );
}

const record = (v: unknown): Record<string, unknown> | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

/**
 * A contact's effective consent for a topic: its own `subscribed` or `unsubscribed` wins; none
 * (or `unknown`) takes the topic's default (opt-out topics are `subscribed` by default, opt-in
 * ones `unsubscribed`). `topics` is a contact's `topics`, parsed or as stored (read defensively).
 */
export function topicStatus(
  topics: unknown,
  topic: { name: string; defaultStatus: 'subscribed' | 'unsubscribed' },
): 'subscribed' | 'unsubscribed' {
  const own = Object.hasOwn(record(topics) ?? {}, topic.name) ? record(record(topics)?.[topic.name])?.status : undefined;
  return own === 'subscribed' || own === 'unsubscribed' ? own : topic.defaultStatus;
}

/** What a stored contact item tells of its reachability on a channel. */
export interface Reach {
  address: boolean;
  consent: boolean;
  suppressed: boolean;
}

/** A stored contact item's reachability on a channel (the item as the document client returns it, read defensively). */
export function reachOf(item: Record<string, unknown>, channel: Channel): Reach {
  const address = channel === 'email' ? item.email : item.phone;
  return {
    address: typeof address === 'string' && address !== '',
    consent: record(record(item.consent)?.[channel])?.status === 'subscribed',
    suppressed: record(item.suppressed)?.[channel] === true,
  };
}

/** Reachable: an address, consent `subscribed`, and the channel not suppressed (campaigns, segments, reports). */
export const isReachable = (r: Reach): boolean => r.address && r.consent && !r.suppressed;

/** A contact may be messaged on a channel only with explicit consent and an address for it. */
export function canMessage(contact: Contact, channel: Channel): boolean {
  const address = channel === 'email' ? contact.email : contact.phone;
  return address !== undefined && contact.consent[channel].status === 'subscribed';
}
