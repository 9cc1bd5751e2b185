/**
 * Events a shop or back end sends about a contact: purchases, refunds, and custom events (a
 * visit, a signup, a support complaint). Pure: schemas and per-event validation. The same
 * events arrive over POST /events and on the EventBridge bus.
 */
import * as z from 'zod';
import { Email, ExternalId, isStorableNumber, Name, Phone, RESERVED_NAMES, STORABLE_NUMBER_MESSAGE, StorableNumber } from './contact.ts';
import { documentedAs } from './documented.ts';
import type { FieldIssue } from './errors.ts';

export const MAX_EVENTS_PER_BATCH = 500;
export const MAX_ITEMS_PER_ORDER = 100;

const notReserved = (s: string) => !RESERVED_NAMES.has(s);
const EventType = z
  .string()
  .regex(/^[a-z][a-z0-9_.-]{0,63}$/, 'must be 1-64 lower-case letters, digits, _ . or -, starting with a letter')
  .refine(notReserved, 'may not be constructor or prototype');
const Money = z
  .number()
  .nonnegative('must not be negative')
  .max(1e9, 'must be at most 1,000,000,000')
  .refine(isStorableNumber, STORABLE_NUMBER_MESSAGE);
/** A sku or category: also a key of the contact's tallies, so never a reserved name. */
const Label = z.string().trim().min(1).max(200).refine(notReserved, 'may not be constructor, __proto__ or prototype');

/** Who the event is about: a known contact id, or an identifier (an unknown one creates a prospect). */
const ContactRef = z.object({
  contactId: z.string().min(1).max(64).optional(),
  email: Email.optional(),
  phone: Phone.optional(),
  externalId: ExternalId.optional(),
});

const Envelope = ContactRef.extend({
  /** The sender's id for the event: a repeat with the same id is recognised and not counted again. */
  eventId: z.string().trim().min(1).max(128),
  type: EventType,
  /** When it happened (ISO 8601); the time of receipt when absent. */
  at: z.iso.datetime({ offset: true }).optional(),
});

export const PurchaseItem = z.object({
  sku: Label,
  name: Label.optional(),
  category: Label.optional(),
  price: Money,
  quantity: z.number().int().positive().max(1_000_000),
});

export const PurchaseEvent = Envelope.extend({
  type: z.literal('purchase'),
  orderId: Label,
  total: Money,
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR'),
  items: z.array(PurchaseItem).max(MAX_ITEMS_PER_ORDER).default([]),
  /** A promoter's referral code the order was placed with: the promoter is credited (docs/triggers.md, NPS). */
  referralCode: z.string().trim().min(1).max(64).optional(),
});

/** Reverses a whole order's effect on the contact's aggregates. */
export const RefundEvent = Envelope.extend({ type: z.literal('refund'), orderId: Label });

const PropertyValue = z.union([z.string().max(1000), StorableNumber, z.boolean()]);
export const CustomEvent = Envelope.extend({
  properties: z
    .record(Name('property'), PropertyValue)
    .refine((p) => Object.keys(p).length <= 50, 'at most 50 properties')
    .optional(),
});

export const IncomingEvent = z.union([PurchaseEvent, RefundEvent, CustomEvent]);
export type PurchaseEvent = z.infer<typeof PurchaseEvent>;
export type RefundEvent = z.infer<typeof RefundEvent>;
export type CustomEvent = z.infer<typeof CustomEvent>;
export type IncomingEvent = PurchaseEvent | RefundEvent | CustomEvent;

/** An event as stored in its contact's partition: validated, time fixed, identifiers dropped. */
export const StoredEvent = z.object({
  eventId: z.string(),
  type: z.string(),
  at: z.iso.datetime({ offset: true }),
  receivedAt: z.iso.datetime(),
  orderId: z.string().optional(),
  total: z.number().optional(),
  currency: z.string().optional(),
  items: z.array(PurchaseItem).optional(),
  referralCode: z.string().optional(),
  properties: z.record(z.string(), PropertyValue).optional(),
});
export type StoredEvent = z.infer<typeof StoredEvent>;

/** How far in the future an event's time may lie (clock skew between sender and Herald). */
const MAX_FUTURE_MS = 24 * 60 * 60 * 1000;

export type ParsedEvent = { ok: true; event: IncomingEvent } | { ok: false; issues: FieldIssue[] };

/**
 * Validates one event of a batch, naming each bad field by its path (`body.events.3.total`).
 * The schema follows the type: purchase and refund have their own fields, any other type is
 * a custom event with properties.
 */
export function parseEvent(raw: unknown, path: string, now: Date): ParsedEvent {
  const type = raw !== null && typeof raw === 'object' ? (raw as { type?: unknown }).type : undefined;
  const schema = type === 'purchase' ? PurchaseEvent : type === 'refund' ? RefundEvent : CustomEvent;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, issues: parsed.error.issues.map((i) => ({ field: [path, ...i.path.map(String)].join('.'), message: i.message })) };
  }
  const event = parsed.data as IncomingEvent;
  const issues: FieldIssue[] = [];
  if (event.contactId === undefined && event.email === undefined && event.phone === undefined && event.externalId === undefined) {
    issues.push({ field: `${path}.email`, message: 'name the contact by one of contactId, email, phone or externalId' });
  }
  if (event.at !== undefined && Date.parse(event.at) > now.getTime() + MAX_FUTURE_MS) {
    issues.push({ field: `${path}.at`, message: 'lies more than a day in the future' });
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, event };
}

/** The stored form of a valid event. */
export function toStoredEvent(event: IncomingEvent, receivedAt: string): StoredEvent {
  const { contactId: _c, email: _e, phone: _p, externalId: _x, at, ...rest } = event;
  return { ...rest, at: at === undefined ? receivedAt : new Date(at).toISOString(), receivedAt };
}

/** One event of a batch: validated by parseEvent, documented as one of the three event schemas. */
const AnyEvent = z.unknown().meta({ description: 'A purchase, refund or custom event' });
documentedAs.set(AnyEvent, [PurchaseEvent, RefundEvent, CustomEvent]);

/** The body of POST /events; each event is validated on its own, so one bad event never sinks the batch. */
export const EventBatch = z.object({
  events: z.array(AnyEvent).min(1).max(MAX_EVENTS_PER_BATCH),
});

export const EventOutcome = z.object({
  index: z.number().int(),
  eventId: z.string().optional(),
  status: z.enum(['accepted', 'duplicate', 'rejected']),
  contactId: z.string().optional(),
  /** Set when the event named an unknown identifier and a prospect was created for it. */
  createdContact: z.boolean().optional(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});
export type EventOutcome = z.infer<typeof EventOutcome>;

export const EventBatchResult = z.object({
  accepted: z.number().int(),
  duplicates: z.number().int(),
  rejected: z.number().int(),
  results: z.array(EventOutcome),
});
export type EventBatchResult = z.infer<typeof EventBatchResult>;

/**
 * The detail of an event on the EventBridge bus: the same event object as in POST /events
 * (its type implied by the detail-type for Purchase and Refund), plus the workspace it belongs
 * to (the deployment's default workspace when absent). Checked in full by parseEvent.
 */
export const BusEvent = z.looseObject({ tenantId: z.unknown().optional() });
export type BusEvent = z.infer<typeof BusEvent>;
