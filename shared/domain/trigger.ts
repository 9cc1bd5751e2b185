/**
 * Triggers: what sets a triggered campaign in motion for one contact (an event that matches a
 * filter, the first event of a type, entering a lifecycle stage), how long it waits, what is
 * checked again when the wait ends, and how often one contact may be messaged by it. Pure:
 * schemas, matching, durations and the deterministic ids that make every firing happen once.
 */
import * as z from 'zod';
import { durationSeconds } from './segment.ts';
import { StorableNumber } from './contact.ts';
import type { StoredEvent } from './event.ts';

const Scalar = z.union([z.string().max(200), StorableNumber, z.boolean()]);

/** A path into an event: a top-level field, `items.<field>` (any item matches) or `properties.<name>`. */
const EventField = z
  .string()
  .regex(
    /^(orderId|total|currency|items\.(sku|name|category|price|quantity)|properties\.[A-Za-z_][A-Za-z0-9_]{0,63})$/,
    'must be total, currency, orderId, items.<sku|name|category|price|quantity> or properties.<name>',
  );

export const EventFilter = z
  .strictObject({
    field: EventField,
    op: z.enum(['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in']),
    value: z.union([Scalar, z.array(Scalar).min(1).max(50)]),
  })
  .superRefine((f, ctx) => {
    // A filter that can never hold is a mistake: refused rather than a trigger that never fires.
    const numeric = f.op === 'gt' || f.op === 'gte' || f.op === 'lt' || f.op === 'lte';
    if (f.op === 'in' && !Array.isArray(f.value))
      ctx.addIssue({ code: 'custom', message: 'op in takes an array of values', path: ['value'] });
    else if (f.op !== 'in' && Array.isArray(f.value))
      ctx.addIssue({ code: 'custom', message: `op ${f.op} takes one value (use in for a list)`, path: ['value'] });
    else if (numeric && typeof f.value !== 'number')
      ctx.addIssue({ code: 'custom', message: `op ${f.op} compares numbers: give a number`, path: ['value'] });
    else {
      // The event's own fields have a type: a value of another type never matches.
      const kind = NUMBER_FIELDS.has(f.field) ? 'number' : TEXT_FIELDS.has(f.field) ? 'string' : undefined;
      const values = Array.isArray(f.value) ? f.value : [f.value];
      if (kind && values.some((v) => typeof v !== kind))
        ctx.addIssue({
          code: 'custom',
          message: `${f.field} is a ${kind}: give ${kind === 'number' ? 'numbers' : 'text'}`,
          path: ['value'],
        });
      else if (kind === 'string' && numeric)
        ctx.addIssue({ code: 'custom', message: `${f.field} is text: use eq, neq or in`, path: ['op'] });
    }
  });
const NUMBER_FIELDS = new Set(['total', 'items.price', 'items.quantity']);
const TEXT_FIELDS = new Set(['orderId', 'currency', 'items.sku', 'items.name', 'items.category']);
export type EventFilter = z.infer<typeof EventFilter>;

/** Lifecycle stages a contact enters by time passing, noticed by a check each purchase schedules. */
export const TriggerStage = z.enum(['at_risk', 'lapsed']);
export type TriggerStage = z.infer<typeof TriggerStage>;

/** One object rather than a union, so a mistake is reported on its own field (`on.where.0.op`). */
export const TriggerStart = z
  .strictObject({
    /** The event type: `purchase`, `signup` or any custom type. */
    event: z
      .string()
      .regex(/^[a-z][a-z0-9_.-]{0,63}$/, 'must be an event type such as purchase')
      .optional(),
    /** With `event`: every filter must hold. */
    where: z.array(EventFilter).max(10).default([]),
    /** With `event`: only the contact's first event of this type (a first purchase). */
    first: z.boolean().default(false),
    /** Or: the contact entered this lifecycle stage. */
    stage: TriggerStage.optional(),
    /** Or: the contact entered this segment (checked when an event about it arrives). */
    segment: z.string().min(1).max(100).optional(),
  })
  .superRefine((on, ctx) => {
    const named = [on.event, on.stage, on.segment].filter((v) => v !== undefined).length;
    if (named !== 1) ctx.addIssue({ code: 'custom', message: 'name one of event, stage or segment', path: ['event'] });
    if (on.event === undefined && (on.where.length > 0 || on.first))
      ctx.addIssue({ code: 'custom', message: 'where and first go with an event', path: [on.stage !== undefined ? 'stage' : 'segment'] });
  });
export type TriggerStart = z.infer<typeof TriggerStart>;

const Duration = (what: string, most: number) =>
  z
    .string()
    .refine((d) => durationSeconds(d) !== undefined, `${what} must be an ISO-8601 duration such as P3D or PT30M`)
    .refine((d) => (durationSeconds(d) ?? 0) <= most, `${what} may be at most ${most / 86_400} days`);

export const TriggerSpec = z
  .strictObject({
    on: TriggerStart,
    /** How long after the starting event the message is due (PT0S: at once). */
    delay: Duration('delay', 366 * 86_400).default('PT0S'),
    /** Checked again when the delay ends: a purchase after the starting event cancels the firing. */
    cancelIfPurchased: z.boolean().default(false),
    /** Also checked when the delay ends: the contact must be in this segment. */
    segmentId: z.string().min(1).max(100).optional(),
    /** At most one firing per contact within this time (ISO-8601; absent: no limit). */
    cooldown: Duration('cooldown', 3650 * 86_400).optional(),
    /** The message carries up to this many cross-sell recommendations (0: none). */
    recommendations: z.number().int().min(0).max(10).default(0),
    /** Fires only for starting events within these dates. */
    activeFrom: z.iso.datetime({ offset: true }).optional(),
    activeUntil: z.iso.datetime({ offset: true }).optional(),
  })
  .refine((s) => !s.activeFrom || !s.activeUntil || Date.parse(s.activeFrom) <= Date.parse(s.activeUntil), {
    message: 'must not be after activeUntil',
    path: ['activeFrom'],
  })
  .refine((s) => s.recommendations === 0 || s.on.event !== undefined, {
    message: 'recommendations go with a purchase event (a stage or segment firing has no purchase to recommend from)',
    path: ['recommendations'],
  });
export type TriggerSpec = z.infer<typeof TriggerSpec>;

/** The values an event field names (items give one per item). */
function valuesOf(event: StoredEvent, field: string): unknown[] {
  if (field.startsWith('items.')) return (event.items ?? []).map((i) => (i as Record<string, unknown>)[field.slice(6)]);
  if (field.startsWith('properties.')) return [event.properties?.[field.slice(11)]];
  return [(event as Record<string, unknown>)[field]];
}

function holds(value: unknown, f: EventFilter): boolean {
  if (value === undefined) return false;
  const want = f.value;
  const norm = (v: unknown) => (typeof v === 'string' ? v.trim().toLowerCase() : v);
  switch (f.op) {
    case 'eq':
      return norm(value) === norm(want);
    case 'neq':
      return norm(value) !== norm(want);
    case 'in':
      return Array.isArray(want) && want.some((w) => norm(w) === norm(value));
    default: {
      if (typeof value !== 'number' || typeof want !== 'number') return false;
      return f.op === 'gt' ? value > want : f.op === 'gte' ? value >= want : f.op === 'lt' ? value < want : value <= want;
    }
  }
}

/**
 * Does an event start this trigger? `isFirst`: it is the contact's first event of its type. A
 * `neq` filter on items holds when no item has the value.
 */
export function startsOn(spec: TriggerSpec, event: StoredEvent, isFirst: boolean): boolean {
  const on = spec.on;
  if (on.event === undefined || on.event !== event.type) return false;
  if (on.first && !isFirst) return false;
  if (!activeAt(spec, new Date(event.at))) return false;
  return on.where.every((f) => {
    const values = valuesOf(event, f.field);
    return f.op === 'neq' ? values.every((v) => holds(v, f)) : values.some((v) => holds(v, f));
  });
}

export const activeAt = (spec: Pick<TriggerSpec, 'activeFrom' | 'activeUntil'>, at: Date) =>
  (!spec.activeFrom || Date.parse(spec.activeFrom) <= at.getTime()) && (!spec.activeUntil || at.getTime() <= Date.parse(spec.activeUntil));

/** When a firing started at `at` is due. */
export const dueAfter = (spec: Pick<TriggerSpec, 'delay'>, at: Date) => new Date(at.getTime() + (durationSeconds(spec.delay) ?? 0) * 1000);

/** Cooldown in milliseconds (0: none). */
export const cooldownMs = (spec: Pick<TriggerSpec, 'cooldown'>) => (spec.cooldown ? (durationSeconds(spec.cooldown) ?? 0) * 1000 : 0);

/**
 * A firing's id: deterministic in (trigger, contact, starting event), so a redelivered event
 * names the same firing and its conditional put fails. 12 base-36 characters (cyrb53-style hash of
 * the three, twice with different seeds): the id is also part of the send record's key.
 */
export function firingIdOf(campaignId: string, contactId: string, startKey: string): string {
  const s = `${campaignId}\n${contactId}\n${startKey}`;
  const part = (seed: number) => {
    let h1 = 0xdeadbeef ^ seed;
    let h2 = 0x41c6ce57 ^ seed;
    for (let i = 0; i < s.length; i++) {
      const ch = s.charCodeAt(i);
      h1 = Math.imul(h1 ^ ch, 2654435761);
      h2 = Math.imul(h2 ^ ch, 1597334677);
    }
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    return (h1 >>> 0).toString(36).padStart(7, '0').slice(-6);
  };
  return `${part(1)}${part(2)}`;
}

export const FiringStatus = z.enum(['waiting', 'fired', 'dropped']);
export type FiringStatus = z.infer<typeof FiringStatus>;
export const DropReason = z.enum([
  'cooldown',
  'purchased_since',
  'not_in_segment',
  'trigger_inactive',
  'contact_erased',
  'nothing_to_recommend',
]);
export type DropReason = z.infer<typeof DropReason>;

/** One firing: a contact on its way through a trigger, from its starting event to its message. */
export const Firing = z.object({
  firingId: z.string(),
  campaignId: z.string(),
  contactId: z.string(),
  /** The starting event's id (or `stage:<stage>:<purchase id>` for a stage entered). */
  startKey: z.string(),
  startedAt: z.iso.datetime(),
  dueAt: z.iso.datetime(),
  status: FiringStatus,
  reason: DropReason.optional(),
  /** The campaign's version when the firing started: an edit affects only later firings. */
  campaignVersion: z.number().int(),
  /** What the message will use, fixed when the firing started. */
  spec: TriggerSpec,
  variants: z.array(z.object({ name: z.string(), weight: z.number(), email: z.string().optional(), sms: z.string().optional() })),
  /** The starting event's purchase categories (cross-sell recommends from them). */
  categories: z.array(z.string()).optional(),
  /** What the message's template gets as `trigger` (the starting event, the stage entered). */
  data: z.record(z.string(), z.unknown()).optional(),
  /** The send record it became. */
  sendId: z.string().optional(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Firing = z.infer<typeof Firing>;

/** Work due later: a trigger's firing, or a lifecycle check a purchase scheduled (the `trigger-due` queue's messages). */
export const DueWork = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('firing'), tenantId: z.string(), contactId: z.string(), campaignId: z.string(), firingId: z.string() }),
  z.object({
    kind: z.literal('stage'),
    tenantId: z.string(),
    contactId: z.string(),
    stage: TriggerStage,
    /** The purchase (epoch seconds) the check was scheduled from: a later one means the stage was not entered. */
    purchaseAt: z.number(),
    purchaseEventId: z.string(),
  }),
]);
export type DueWork = z.infer<typeof DueWork>;

/** Partitions of the due-time index: writes at 10,000 firings a minute stay far below one partition's limit each. */
export const DUE_SHARDS = 4;
/** The index partition of a due entry, from its id. */
export function dueShardOf(id: string): number {
  // FNV-1a, its high bits folded in: a multiply-by-31 hash kept only odd shards here.
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return ((h ^ (h >>> 16)) >>> 0) % DUE_SHARDS;
}
