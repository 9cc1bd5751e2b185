/**
 * The campaign wizard's form state and its translation to and from the API: a `Draft` holds what
 * the inputs show (strings for times, a kind per choice), `bodyOf` makes the CreateCampaign body,
 * `patchOf` the PATCH for a saved draft, and `stepOf` says which wizard step owns a field the API
 * named (`body.variants.0.email` → the variants step), so its message lands where it can be fixed.
 */
import type { FieldIssue } from '@shared/domain/errors.ts';
import { type Campaign, type CampaignChannel, CreateCampaign, type UpdateCampaign } from '@shared/domain/campaign.ts';

export interface VariantDraft {
  /** A React key: names change as the user types. */
  key: number;
  name: string;
  weight: number;
  email: string;
  sms: string;
}

export type HoldoutKind = 'none' | 'percent' | 'list' | 'segment';
export type QuietKind = 'default' | 'none' | 'window';

export interface Draft {
  name: string;
  description: string;
  segments: string[];
  lists: string[];
  excludeSegments: string[];
  excludeLists: string[];
  holdout: HoldoutKind;
  holdoutPercent: number;
  holdoutList: string;
  holdoutSegment: string;
  channel: CampaignChannel;
  /** '' for none. */
  topic: string;
  variants: VariantDraft[];
  schedule: 'now' | 'at';
  /** A `datetime-local` value, `2026-12-01T09:00`: the browser's zone, or each recipient's with `localTime`. */
  scheduleAt: string;
  localTime: boolean;
  quietHours: QuietKind;
  quietStart: string;
  quietEnd: string;
  /** '' for the account's pace only. */
  rate: number | '';
  goal: 'purchase' | 'custom';
  goalName: string;
  attributionDays: number;
}

let nextKey = 1;
export const newVariant = (name: string, from: Partial<VariantDraft> = {}): VariantDraft => ({
  key: nextKey++,
  name,
  weight: 1,
  email: '',
  sms: '',
  ...from,
});

const pad = (n: number) => String(n).padStart(2, '0');
const LOCAL_INPUT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;

/**
 * The `datetime-local` value for a schedule's time: the wall-clock reading as written for a
 * local-time schedule (its offset is ignored by the API), else the instant in the browser's zone.
 */
export function toLocalInput(iso: string, localTime: boolean): string {
  if (localTime) return iso.slice(0, 16);
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The schedule's `at` for a `datetime-local` value (anything else is passed on for the schema to refuse). */
export function fromLocalInput(value: string, localTime: boolean): string {
  if (!LOCAL_INPUT.test(value)) return value;
  return localTime ? `${value}:00Z` : new Date(value).toISOString();
}

export function emptyDraft(defaults: { templateEmail?: string } = {}): Draft {
  return {
    name: '',
    description: '',
    segments: [],
    lists: [],
    excludeSegments: [],
    excludeLists: [],
    holdout: 'percent',
    holdoutPercent: 10,
    holdoutList: '',
    holdoutSegment: '',
    channel: 'email',
    topic: '',
    variants: [newVariant('A', { email: defaults.templateEmail ?? '' })],
    schedule: 'now',
    scheduleAt: '',
    localTime: false,
    quietHours: 'default',
    quietStart: '21:00',
    quietEnd: '08:00',
    rate: '',
    goal: 'purchase',
    goalName: '',
    attributionDays: 7,
  };
}

/** The form state of a saved campaign. */
export function draftOf(c: Campaign): Draft {
  const base = emptyDraft();
  const h = c.holdout;
  return {
    ...base,
    name: c.name,
    description: c.description ?? '',
    segments: c.audience?.segments ?? [],
    lists: c.audience?.lists ?? [],
    excludeSegments: c.audience?.excludeSegments ?? [],
    excludeLists: c.audience?.excludeLists ?? [],
    holdout: !h ? 'none' : 'percent' in h ? (h.percent > 0 ? 'percent' : 'none') : 'listId' in h ? 'list' : 'segment',
    holdoutPercent: h && 'percent' in h && h.percent > 0 ? h.percent : base.holdoutPercent,
    holdoutList: h && 'listId' in h ? h.listId : '',
    holdoutSegment: h && 'segmentId' in h ? h.segmentId : '',
    channel: c.channel,
    topic: c.topic ?? '',
    variants: c.variants.map((v) => newVariant(v.name, { weight: v.weight, email: v.email ?? '', sms: v.sms ?? '' })),
    schedule: c.schedule ? 'at' : 'now',
    scheduleAt: c.schedule ? toLocalInput(c.schedule.at, c.schedule.localTime) : '',
    localTime: c.schedule?.localTime ?? false,
    quietHours: c.quietHours === undefined ? 'default' : c.quietHours === null ? 'none' : 'window',
    quietStart: c.quietHours?.start ?? base.quietStart,
    quietEnd: c.quietHours?.end ?? base.quietEnd,
    rate: c.ratePerSecond ?? '',
    goal: c.goal?.event === 'custom' ? 'custom' : 'purchase',
    goalName: c.goal?.event === 'custom' ? c.goal.name : '',
    attributionDays: c.attributionDays,
  };
}

export const usesEmail = (channel: CampaignChannel) => channel !== 'sms';
export const usesSms = (channel: CampaignChannel) => channel !== 'email';

/** The variants as the API takes them: a template only for the channels the campaign uses. */
export function variantsOf(channel: CampaignChannel, variants: VariantDraft[]): VariantBody[] {
  return variants.map((v) => ({
    name: v.name.trim(),
    weight: v.weight,
    ...(usesEmail(channel) && v.email ? { email: v.email } : {}),
    ...(usesSms(channel) && v.sms ? { sms: v.sms } : {}),
  }));
}

export interface VariantBody {
  name: string;
  weight: number;
  email?: string;
  sms?: string;
}

/** A CreateCampaign body with what the form always gives. */
export type DraftBody = Omit<CreateCampaign, 'audience' | 'variants'> & {
  audience: { segments: string[]; lists: string[]; excludeSegments: string[]; excludeLists: string[] };
  variants: VariantBody[];
};

/** The CreateCampaign body for the form's state. */
export function bodyOf(d: Draft): DraftBody {
  const holdout =
    d.holdout === 'percent'
      ? { percent: d.holdoutPercent }
      : d.holdout === 'list'
        ? { listId: d.holdoutList }
        : d.holdout === 'segment'
          ? { segmentId: d.holdoutSegment }
          : undefined;
  return {
    name: d.name,
    ...(d.description.trim() ? { description: d.description } : {}),
    channel: d.channel,
    variants: variantsOf(d.channel, d.variants),
    audience: { segments: d.segments, lists: d.lists, excludeSegments: d.excludeSegments, excludeLists: d.excludeLists },
    ...(holdout ? { holdout } : {}),
    ...(d.schedule === 'at' ? { schedule: { at: fromLocalInput(d.scheduleAt, d.localTime), localTime: d.localTime } } : {}),
    ...(d.quietHours === 'none' ? { quietHours: null } : {}),
    ...(d.quietHours === 'window' ? { quietHours: { start: d.quietStart, end: d.quietEnd } } : {}),
    ...(d.rate === '' ? {} : { ratePerSecond: d.rate }),
    attributionDays: d.attributionDays,
    goal: d.goal === 'custom' ? { event: 'custom', name: d.goalName.trim() } : { event: 'purchase' },
    ...(d.topic ? { topic: d.topic } : {}),
  };
}

/** What a PATCH can not take away from a saved draft (an absent field keeps its value; only `topic` and `quietHours` take null). */
export const UNCLEARABLE = {
  schedule: 'its schedule (to send at launch)',
  ratePerSecond: 'its own sending rate',
  quietHours: 'its own quiet hours (back to the workspace default)',
} as const;
export type Unclearable = keyof typeof UNCLEARABLE;

/**
 * The PATCH that makes a saved draft match the form, and the fields it cannot clear (then the
 * console replaces the draft: a new one with the form's state, the old one deleted).
 */
export function patchOf(d: Draft, saved: Campaign): { patch: UpdateCampaign; unclearable: Unclearable[] } {
  const body = bodyOf(d);
  const patch: Record<string, unknown> = { ...body };
  if (!body.topic && saved.topic) patch.topic = null;
  if (!body.holdout && saved.holdout) patch.holdout = { percent: 0 };
  if (!body.description && saved.description) patch.description = '';
  const unclearable: Unclearable[] = [];
  if (!body.schedule && saved.schedule) unclearable.push('schedule');
  if (body.ratePerSecond === undefined && saved.ratePerSecond !== undefined) unclearable.push('ratePerSecond');
  if (body.quietHours === undefined && saved.quietHours !== undefined) unclearable.push('quietHours');
  return { patch: patch as UpdateCampaign, unclearable };
}

/** Checks the form the way the API will (CreateCampaign), plus what only a form can get wrong; issues name `body.<field>`. */
export function checkDraft(d: Draft): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (d.schedule === 'at' && !LOCAL_INPUT.test(d.scheduleAt)) issues.push({ field: 'body.schedule.at', message: 'pick a date and a time' });
  if (d.holdout === 'list' && !d.holdoutList) issues.push({ field: 'body.holdout.listId', message: 'pick the list' });
  if (d.holdout === 'segment' && !d.holdoutSegment) issues.push({ field: 'body.holdout.segmentId', message: 'pick the segment' });
  const parsed = CreateCampaign.safeParse(bodyOf(d));
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = ['body', ...issue.path.map(String)].join('.');
      if (!issues.some((i) => i.field === field)) issues.push({ field, message: issue.message });
    }
  }
  return issues;
}

/** The wizard's steps, in order; each owns the fields whose names start with one of its prefixes. */
export const STEPS = [
  { label: 'Audience', fields: ['name', 'description', 'audience'] },
  { label: 'Channel and holdout', fields: ['channel', 'topic', 'holdout'] },
  { label: 'Variants', fields: ['variants'] },
  { label: 'Delivery', fields: ['schedule', 'quietHours', 'ratePerSecond'] },
  { label: 'Goal', fields: ['goal', 'attributionDays'] },
  { label: 'Review', fields: [] },
] as const;
export const REVIEW_STEP = STEPS.length - 1;

/** The step that owns a field (without `body.`); anything unknown goes to the review. */
export function stepOf(field: string): number {
  const head = field.split('.', 1)[0] as string;
  const at = STEPS.findIndex((s) => (s.fields as readonly string[]).includes(head));
  return at < 0 ? REVIEW_STEP : at;
}

/** The message for an input: its own field's, or the first of a field inside it (`audience.lists` shows `audience.lists.0`). */
export function errorAt(errors: Record<string, string>, field: string): string | undefined {
  if (errors[field]) return errors[field];
  const inside = Object.keys(errors).find((k) => k.startsWith(`${field}.`));
  return inside ? errors[inside] : undefined;
}
