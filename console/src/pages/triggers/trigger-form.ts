/**
 * The trigger editor's form state and its translation to the API: `bodyOf` gives the campaign
 * body with its `trigger` block (sent whole: a PATCH's trigger replaces the block), `patchOf` the
 * PATCH for a saved trigger. Durations are a number and a unit; filter values are typed the way
 * the field takes them (numbers for totals, prices and quantities; a list for `in`).
 */
import { type Campaign, type CampaignChannel, CreateCampaign } from '@shared/domain/campaign.ts';
import type { FieldIssue } from '@shared/domain/errors.ts';
import { durationSeconds } from '@shared/domain/segment.ts';
import type { EventFilter, TriggerSpec, TriggerStage } from '@shared/domain/trigger.ts';
import { fromLocalInput, newVariant, toLocalInput, type VariantBody, type VariantDraft, variantsOf } from '../campaigns/draft.ts';

export type Unit = 'minutes' | 'hours' | 'days';
export interface DurationDraft {
  amount: number | '';
  unit: Unit;
}
const UNIT_SECONDS: Record<Unit, number> = { minutes: 60, hours: 3600, days: 86_400 };

/** An ISO duration as the largest whole unit (a number of minutes when nothing larger fits). */
export function durationDraft(iso: string | undefined, fallback: DurationDraft = { amount: 0, unit: 'hours' }): DurationDraft {
  const s = iso === undefined ? undefined : durationSeconds(iso);
  if (s === undefined) return fallback;
  if (s === 0) return { amount: 0, unit: fallback.unit };
  for (const unit of ['days', 'hours'] as const) if (s % UNIT_SECONDS[unit] === 0) return { amount: s / UNIT_SECONDS[unit], unit };
  return { amount: Math.round(s / 60), unit: 'minutes' };
}

export function isoOf(d: DurationDraft): string {
  const n = d.amount === '' ? 0 : d.amount;
  if (n === 0) return 'PT0S';
  return d.unit === 'days' ? `P${n}D` : d.unit === 'hours' ? `PT${n}H` : `PT${n}M`;
}

export const FILTER_FIELDS = [
  'items.category',
  'items.sku',
  'items.name',
  'items.price',
  'items.quantity',
  'total',
  'currency',
  'orderId',
  'properties',
] as const;
export type FilterField = (typeof FILTER_FIELDS)[number];
const NUMBER_FIELDS = new Set<string>(['total', 'items.price', 'items.quantity']);

export interface FilterDraft {
  key: number;
  field: FilterField;
  /** The property's name when `field` is `properties`. */
  property: string;
  op: EventFilter['op'];
  /** As typed; `in` takes values separated by commas. */
  value: string;
}

export interface TriggerDraft {
  name: string;
  channel: CampaignChannel;
  variants: VariantDraft[];
  holdoutPercent: number;
  topic: string;
  start: 'event' | 'stage' | 'segment';
  event: string;
  first: boolean;
  where: FilterDraft[];
  stage: TriggerStage;
  segment: string;
  delay: DurationDraft;
  cancelIfPurchased: boolean;
  /** '' for no re-check. */
  recheckSegment: string;
  cooldown: boolean;
  cooldownFor: DurationDraft;
  recommendations: number;
  activeFrom: string;
  activeUntil: string;
}

let nextKey = 1;
export const newFilter = (from: Partial<FilterDraft> = {}): FilterDraft => ({
  key: nextKey++,
  field: 'items.category',
  property: '',
  op: 'eq',
  value: '',
  ...from,
});

export function emptyTrigger(): TriggerDraft {
  return {
    name: '',
    channel: 'email',
    variants: [newVariant('A')],
    holdoutPercent: 10,
    topic: '',
    start: 'event',
    event: 'purchase',
    first: false,
    where: [],
    stage: 'at_risk',
    segment: '',
    delay: { amount: 1, unit: 'hours' },
    cancelIfPurchased: false,
    recheckSegment: '',
    cooldown: false,
    cooldownFor: { amount: 30, unit: 'days' },
    recommendations: 0,
    activeFrom: '',
    activeUntil: '',
  };
}

const valueText = (v: EventFilter['value']) => (Array.isArray(v) ? v.join(', ') : String(v));

export function triggerDraftOf(c: Campaign): TriggerDraft {
  const base = emptyTrigger();
  const t = c.trigger as TriggerSpec;
  const h = c.holdout;
  return {
    ...base,
    name: c.name,
    channel: c.channel,
    variants: c.variants.map((v) => newVariant(v.name, { weight: v.weight, email: v.email ?? '', sms: v.sms ?? '' })),
    holdoutPercent: h && 'percent' in h ? h.percent : 0,
    topic: c.topic ?? '',
    start: t.on.stage ? 'stage' : t.on.segment ? 'segment' : 'event',
    event: t.on.event ?? base.event,
    first: t.on.first,
    where: t.on.where.map((f) =>
      f.field.startsWith('properties.')
        ? newFilter({ field: 'properties', property: f.field.slice(11), op: f.op, value: valueText(f.value) })
        : newFilter({ field: f.field as FilterField, op: f.op, value: valueText(f.value) }),
    ),
    stage: t.on.stage ?? base.stage,
    segment: t.on.segment ?? '',
    delay: durationDraft(t.delay),
    cancelIfPurchased: t.cancelIfPurchased,
    recheckSegment: t.segmentId ?? '',
    cooldown: t.cooldown !== undefined,
    cooldownFor: durationDraft(t.cooldown, base.cooldownFor),
    recommendations: t.recommendations,
    activeFrom: t.activeFrom ? toLocalInput(t.activeFrom, false) : '',
    activeUntil: t.activeUntil ? toLocalInput(t.activeUntil, false) : '',
  };
}

/** One typed value: a number for numeric fields, else text (a property's value: a number, true or false when it reads as one). */
function typed(field: string, text: string): string | number | boolean {
  const t = text.trim();
  if (NUMBER_FIELDS.has(field)) return t === '' || Number.isNaN(Number(t)) ? t : Number(t);
  if (field.startsWith('properties.')) {
    if (t === 'true' || t === 'false') return t === 'true';
    if (t !== '' && !Number.isNaN(Number(t))) return Number(t);
  }
  return t;
}

export function filterOf(f: FilterDraft): EventFilter {
  const field = f.field === 'properties' ? `properties.${f.property.trim()}` : f.field;
  const value =
    f.op === 'in'
      ? f.value
          .split(',')
          .map((v) => v.trim())
          .filter(Boolean)
          .map((v) => typed(field, v))
      : typed(field, f.value);
  return { field, op: f.op, value } as EventFilter;
}

export function specOf(d: TriggerDraft): TriggerSpec {
  const on =
    d.start === 'event'
      ? { event: d.event.trim(), where: d.where.map(filterOf), first: d.first }
      : d.start === 'stage'
        ? { stage: d.stage, where: [], first: false }
        : { segment: d.segment, where: [], first: false };
  return {
    on,
    delay: isoOf(d.delay),
    cancelIfPurchased: d.cancelIfPurchased,
    ...(d.recheckSegment ? { segmentId: d.recheckSegment } : {}),
    ...(d.cooldown ? { cooldown: isoOf(d.cooldownFor) } : {}),
    recommendations: d.start === 'event' ? d.recommendations : 0,
    ...(d.activeFrom ? { activeFrom: fromLocalInput(d.activeFrom, false) } : {}),
    ...(d.activeUntil ? { activeUntil: fromLocalInput(d.activeUntil, false) } : {}),
  } as TriggerSpec;
}

export interface TriggerBody {
  name: string;
  channel: CampaignChannel;
  variants: VariantBody[];
  holdout?: { percent: number };
  topic?: string;
  trigger: TriggerSpec;
}

/** The CreateCampaign body of a new trigger. */
export function triggerBodyOf(d: TriggerDraft): TriggerBody {
  return {
    name: d.name,
    channel: d.channel,
    variants: variantsOf(d.channel, d.variants),
    ...(d.holdoutPercent > 0 ? { holdout: { percent: d.holdoutPercent } } : {}),
    ...(d.topic ? { topic: d.topic } : {}),
    trigger: specOf(d),
  };
}

/**
 * The PATCH for a saved trigger: the whole trigger block, the holdout (0% when taken away), the
 * topic (null when taken away); not the channel of a launched trigger (the API refuses any change).
 */
export function triggerPatchOf(d: TriggerDraft, saved: Campaign): Record<string, unknown> {
  const body: Record<string, unknown> = { ...triggerBodyOf(d) };
  if (!body.holdout && saved.holdout) body.holdout = { percent: 0 };
  if (!body.topic && saved.topic) body.topic = null;
  if (saved.status !== 'draft') delete body.channel;
  return body;
}

/**
 * Checks the form as the API will (CreateCampaign on the whole campaign: the saved fields this
 * form does not show are merged in, as the API merges them), plus what only a form gets wrong.
 */
export function checkTrigger(d: TriggerDraft, saved?: Campaign): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (d.start === 'segment' && !d.segment) issues.push({ field: 'body.trigger.on.segment', message: 'pick the segment' });
  d.where.forEach((f, i) => {
    if (f.field === 'properties' && !/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(f.property.trim()))
      issues.push({ field: `body.trigger.on.where.${i}.field`, message: 'name the property: letters, digits or _' });
    if (f.value.trim() === '') issues.push({ field: `body.trigger.on.where.${i}.value`, message: 'give a value' });
  });
  if (d.delay.amount === '') issues.push({ field: 'body.trigger.delay', message: 'give a number (0: at once)' });
  if (d.cooldown && (d.cooldownFor.amount === '' || d.cooldownFor.amount === 0))
    issues.push({ field: 'body.trigger.cooldown', message: 'give a time, or turn the cooldown off' });
  const kept = saved
    ? Object.fromEntries(
        Object.entries(saved).filter(([k]) =>
          ['description', 'survey', 'quietHours', 'ratePerSecond', 'attributionDays', 'goal'].includes(k),
        ),
      )
    : {};
  const parsed = CreateCampaign.safeParse({ ...kept, ...triggerBodyOf(d) });
  if (!parsed.success)
    for (const issue of parsed.error.issues) {
      const field = ['body', ...issue.path.map(String)].join('.');
      if (!issues.some((i) => i.field === field)) issues.push({ field, message: issue.message });
    }
  return issues;
}
