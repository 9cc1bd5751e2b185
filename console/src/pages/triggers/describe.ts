/** A trigger in words: what starts it, what happens then, and the limits (docs/triggers.md). */
import { durationSeconds } from '@shared/domain/segment.ts';
import type { EventFilter, TriggerSpec } from '@shared/domain/trigger.ts';

const UNITS: [number, string][] = [
  [86_400, 'day'],
  [3600, 'hour'],
  [60, 'minute'],
  [1, 'second'],
];

/** `P14D` → "14 days", `PT1H` → "1 hour", `PT0S` → "no time" (months count 30 days, as the API counts them). */
export function durationWords(iso: string): string {
  const s = durationSeconds(iso);
  if (s === undefined) return iso;
  if (s === 0) return 'no time';
  const [size, unit] = UNITS.find(([n]) => s % n === 0) as [number, string];
  const n = s / size;
  return `${n.toLocaleString()} ${unit}${n === 1 ? '' : 's'}`;
}

export const STAGES: Record<string, string> = { at_risk: 'at risk', lapsed: 'lapsed' };

const FIELDS: Record<string, string> = {
  total: 'the total',
  currency: 'the currency',
  orderId: 'the order id',
  'items.sku': "an item's SKU",
  'items.name': "an item's name",
  'items.category': "an item's category",
  'items.price': "an item's price",
  'items.quantity': "an item's quantity",
};
const OPS: Record<EventFilter['op'], string> = {
  eq: 'is',
  neq: 'is not',
  gt: 'is over',
  gte: 'is at least',
  lt: 'is under',
  lte: 'is at most',
  in: 'is one of',
};

export const fieldWords = (field: string) => FIELDS[field] ?? (field.startsWith('properties.') ? `property ${field.slice(11)}` : field);

export function filterWords(f: EventFilter): string {
  const value = Array.isArray(f.value) ? f.value.join(', ') : String(f.value);
  return `${fieldWords(f.field)} ${OPS[f.op]} ${value}`;
}

const eventWords = (event: string) => (event === 'purchase' ? 'purchase' : `“${event}” event`);

/** What starts a firing: "A contact's first purchase where an item's category is shoes". */
export function startWords(on: TriggerSpec['on'], segmentName: (id: string) => string = (id) => id): string {
  if (on.stage) return `A contact becomes ${STAGES[on.stage] ?? on.stage}`;
  if (on.segment) return `A contact enters the segment ${segmentName(on.segment)}`;
  const where = on.where.length ? ` where ${on.where.map(filterWords).join(' and ')}` : '';
  return `${on.first ? "A contact's first" : 'A'} ${eventWords(on.event ?? 'event')}${where}`;
}

/** What happens after the start: the wait, the re-checks, the message. */
export function thenWords(spec: TriggerSpec, segmentName: (id: string) => string = (id) => id): string {
  const wait = (durationSeconds(spec.delay) ?? 0) === 0 ? 'at once' : `after ${durationWords(spec.delay)}`;
  const checks = [
    spec.cancelIfPurchased ? 'unless they purchased since' : '',
    spec.segmentId ? `if they are still in the segment ${segmentName(spec.segmentId)}` : '',
  ].filter(Boolean);
  const recommendations =
    spec.recommendations > 0 ? ` with ${spec.recommendations} cross-sell recommendation${spec.recommendations === 1 ? '' : 's'}` : '';
  return `sends the message ${wait}${checks.length ? `, ${checks.join(' and ')}` : ''}${recommendations}`;
}

/** Limits: cooldown, active dates. */
export function limitWords(spec: TriggerSpec): string[] {
  const out: string[] = [];
  if (spec.cooldown) out.push(`At most one message every ${durationWords(spec.cooldown)} per contact.`);
  const day = (iso: string) => new Date(iso).toLocaleString();
  if (spec.activeFrom && spec.activeUntil) out.push(`Only for starts from ${day(spec.activeFrom)} until ${day(spec.activeUntil)}.`);
  else if (spec.activeFrom) out.push(`Only for starts from ${day(spec.activeFrom)}.`);
  else if (spec.activeUntil) out.push(`Only for starts until ${day(spec.activeUntil)}.`);
  return out;
}

/** The whole trigger as one sentence or three. */
export function triggerSentence(spec: TriggerSpec, segmentName?: (id: string) => string): string {
  return [`${startWords(spec.on, segmentName)}: ${thenWords(spec, segmentName)}.`, ...limitWords(spec)].join(' ');
}

export const DROP_REASONS: Record<string, string> = {
  cooldown: 'Within the cooldown',
  purchased_since: 'Purchased since',
  not_in_segment: 'No longer in the segment',
  trigger_inactive: 'Trigger off when due',
  contact_erased: 'Contact erased',
  nothing_to_recommend: 'Nothing to recommend',
};

/** On and off, as a marketer sees a trigger: on while sending, off while paused or a draft. */
export function stateOf(status: string): { label: string; on: boolean } {
  switch (status) {
    case 'sending':
      return { label: 'on', on: true };
    case 'paused':
      return { label: 'off (paused)', on: false };
    case 'draft':
      return { label: 'off (draft)', on: false };
    default:
      return { label: status, on: false };
  }
}
