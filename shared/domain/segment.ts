/**
 * Saved dynamic segments: a name and a rule, a JSON tree (docs/segments.md). Pure: the rule's
 * types, its validation with errors that name the JSON path of the bad node, and ISO-8601
 * durations. Evaluation lives in segment-eval.ts.
 */
import * as z from 'zod';
import { CONTACT_FIELD_NAMES, isName, isStorableNumber, RESERVED_NAMES, STORABLE_NUMBER_MESSAGE } from './contact.ts';
import type { FieldIssue } from './errors.ts';
import { AGGREGATE_BOUNDS, Lifecycle, Tier } from './value.ts';

export const OPS = [
  'eq',
  'neq',
  'in',
  'nin',
  'gt',
  'gte',
  'lt',
  'lte',
  'between',
  'exists',
  'startsWith',
  'contains',
  'withinLast',
  'notWithinLast',
] as const;
export type Op = (typeof OPS)[number];
type Scalar = string | number | boolean;
export type CountRange = { gte?: number; gt?: number; lte?: number; lt?: number; eq?: number };

export type Rule =
  | { and: Rule[] }
  | { or: Rule[] }
  | { not: Rule }
  | { field: string; op: Op; value?: Scalar | Scalar[] }
  | { reachable: 'email' | 'sms' }
  | { inList: string }
  | { inSegment: string }
  | { purchased: { category?: string; sku?: string; within?: string; count?: CountRange } }
  | { neverPurchased: { category?: string; sku?: string } }
  | { event: { type: string; within?: string; count?: CountRange } };

/** Field kinds decide which operators apply. */
export type FieldKind = 'string' | 'number' | 'time' | 'any';

const CONTACT_STRINGS = ['contactId', ...CONTACT_FIELD_NAMES, 'consent.email', 'consent.sms'];
const FIELDS: Record<string, FieldKind> = {
  ...Object.fromEntries(CONTACT_STRINGS.map((f) => [f, 'string' as const])),
  createdAt: 'time',
  updatedAt: 'time',
  orders: 'number',
  revenue: 'number',
  averageOrderValue: 'number',
  refunds: 'number',
  firstPurchaseAt: 'time',
  lastPurchaseAt: 'time',
  'rfm.r': 'number',
  'rfm.f': 'number',
  'rfm.m': 'number',
  tier: 'string',
  lifecycle: 'string',
};

/** `topics.<name>`: a contact's own consent for a workspace topic (`unknown` when never given). */
const isTopicField = (field: string) => field.startsWith('topics.') && isName(field.slice('topics.'.length));

/** The kind of a field path, or undefined for an unknown one. `attributes.<name>` takes any type. */
export function fieldKind(field: string): FieldKind | undefined {
  if (field.startsWith('attributes.') && isName(field.slice('attributes.'.length))) return 'any';
  if (isTopicField(field)) return 'string';
  return FIELDS[field];
}
export const SEGMENT_FIELDS = [...Object.keys(FIELDS), 'attributes.<name>', 'topics.<name>'];

const OPS_BY_KIND: Record<FieldKind, readonly Op[]> = {
  string: ['eq', 'neq', 'in', 'nin', 'exists', 'startsWith', 'contains', 'gt', 'gte', 'lt', 'lte', 'between'],
  number: ['eq', 'neq', 'in', 'nin', 'gt', 'gte', 'lt', 'lte', 'between', 'exists'],
  time: ['gt', 'gte', 'lt', 'lte', 'between', 'exists', 'withinLast', 'notWithinLast'],
  any: OPS,
};

/** Closed values for enumerated fields, so a typo is a 400 rather than an empty segment. */
const ENUMS: Record<string, readonly string[]> = {
  tier: Tier.options,
  lifecycle: Lifecycle.options,
  preferredChannel: ['email', 'sms'],
  'consent.email': ['subscribed', 'unsubscribed', 'unknown'],
  'consent.sms': ['subscribed', 'unsubscribed', 'unknown'],
};

const DURATION = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/** An ISO-8601 duration in seconds (a month counts 30 days, a year 365), or undefined if malformed. */
export function durationSeconds(text: string): number | undefined {
  const m = DURATION.exec(text);
  if (!m || text === 'P' || text.endsWith('T')) return undefined;
  const [y, mo, w, d, h, mi, s] = m.slice(1).map((v) => Number(v ?? 0)) as number[];
  return (
    ((((y as number) * 365 + (mo as number) * 30 + (w as number) * 7 + (d as number)) * 24 + (h as number)) * 60 + (mi as number)) * 60 +
    (s as number)
  );
}

export const MAX_RULE_NODES = 200;
const MAX_DEPTH = 12;

/**
 * Checks a rule tree and returns it typed, or the issues, each naming the JSON path of its node
 * (`body.rule.and.1.op`). References to lists and segments are checked by the caller.
 */
export function validateRule(raw: unknown, path: string): { rule?: Rule; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  let nodes = 0;
  const fail = (at: string, message: string) => {
    issues.push({ field: at, message });
    return false;
  };
  const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  const scalar = (v: unknown): v is Scalar =>
    typeof v === 'string' || (typeof v === 'number' && isStorableNumber(v)) || typeof v === 'boolean';
  const onlyKeys = (node: Record<string, unknown>, at: string, allowed: string[]) => {
    const extra = Object.keys(node).filter((k) => !allowed.includes(k));
    return extra.length === 0 || fail(`${at}.${extra[0]}`, `unexpected key; this node takes ${allowed.join(', ')}`);
  };
  /**
   * With a `within` window, counts come from the recent times kept per tally (`kept`): a count
   * that needs more of them than are kept cannot be answered, and is refused rather than wrong.
   */
  const count = (v: unknown, at: string, windowed: boolean, kept: number) => {
    if (v === undefined) return true;
    if (!isObject(v) || Object.keys(v).length === 0) return fail(at, 'must be an object such as {"gte": 2}');
    return Object.entries(v).every(([k, n]) => {
      if (!['gte', 'gt', 'lte', 'lt', 'eq'].includes(k)) return fail(`${at}.${k}`, 'must be one of gte, gt, lte, lt, eq');
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 1_000_000)
        return fail(`${at}.${k}`, 'must be a whole number from 0 to 1,000,000');
      const most = k === 'gte' ? kept : kept - 1;
      return (
        !windowed ||
        n <= most ||
        fail(`${at}.${k}`, `at most ${most} with "within": only the last ${kept} times are kept (drop "within" to count all time)`)
      );
    });
  };
  const within = (v: unknown, at: string) =>
    v === undefined || (typeof v === 'string' && durationSeconds(v) !== undefined) || fail(at, 'must be an ISO-8601 duration such as P30D');
  const label = (v: unknown, at: string) =>
    (typeof v === 'string' && v.length > 0 && v.length <= 200 && !RESERVED_NAMES.has(v)) ||
    fail(at, 'must be a non-empty string (not constructor, __proto__ or prototype)');

  const check = (node: unknown, at: string, depth: number): boolean => {
    if (++nodes > MAX_RULE_NODES) return fail(at, `a rule has at most ${MAX_RULE_NODES} nodes`);
    if (depth > MAX_DEPTH) return fail(at, `a rule nests at most ${MAX_DEPTH} levels`);
    if (!isObject(node)) return fail(at, 'must be a rule object');
    if ('and' in node || 'or' in node) {
      const key = 'and' in node ? 'and' : 'or';
      const children = node[key];
      if (!onlyKeys(node, at, [key])) return false;
      if (!Array.isArray(children) || children.length === 0) return fail(`${at}.${key}`, 'must be a non-empty array of rules');
      return children.map((c, i) => check(c, `${at}.${key}.${i}`, depth + 1)).every(Boolean);
    }
    if ('not' in node) return onlyKeys(node, at, ['not']) && check(node.not, `${at}.not`, depth + 1);
    if ('field' in node) {
      if (!onlyKeys(node, at, ['field', 'op', 'value'])) return false;
      const { field, op, value } = node;
      const kind = typeof field === 'string' ? fieldKind(field) : undefined;
      if (kind === undefined) return fail(`${at}.field`, `unknown field ${JSON.stringify(field)}; one of ${SEGMENT_FIELDS.join(', ')}`);
      if (typeof op !== 'string' || !(OPS as readonly string[]).includes(op)) return fail(`${at}.op`, `must be one of ${OPS.join(', ')}`);
      if (!OPS_BY_KIND[kind].includes(op as Op))
        return fail(`${at}.op`, `${op} does not apply to ${field} (a ${kind}); use one of ${OPS_BY_KIND[kind].join(', ')}`);
      const allowed = ENUMS[field as string] ?? (isTopicField(field as string) ? ENUMS['consent.email'] : undefined);
      const inEnum = (v: unknown, where: string) =>
        !allowed || (typeof v === 'string' && allowed.includes(v)) || fail(where, `must be one of ${allowed.join(', ')}`);
      const typed = (v: unknown, where: string) => {
        if (typeof v === 'number' && !isStorableNumber(v)) return fail(where, STORABLE_NUMBER_MESSAGE);
        if (!scalar(v)) return fail(where, 'must be a string, number or boolean');
        if (kind === 'number' && typeof v !== 'number') return fail(where, 'must be a number');
        if (kind === 'time' && (typeof v !== 'string' || Number.isNaN(Date.parse(v)))) return fail(where, 'must be an ISO 8601 time');
        if (kind === 'string' && typeof v !== 'string') return fail(where, 'must be a string');
        return inEnum(v, where);
      };
      switch (op) {
        case 'exists':
          return value === undefined || typeof value === 'boolean' || fail(`${at}.value`, 'must be true, false or absent');
        case 'in':
        case 'nin':
          if (!Array.isArray(value) || value.length === 0 || value.length > 1000)
            return fail(`${at}.value`, 'must be an array of 1-1000 values');
          return value.map((v, i) => typed(v, `${at}.value.${i}`)).every(Boolean);
        case 'between':
          if (!Array.isArray(value) || value.length !== 2) return fail(`${at}.value`, 'must be an array [low, high]');
          return typed(value[0], `${at}.value.0`) && typed(value[1], `${at}.value.1`);
        case 'withinLast':
        case 'notWithinLast':
          return within(value, `${at}.value`) && (value !== undefined || fail(`${at}.value`, 'must be an ISO-8601 duration such as P30D'));
        case 'startsWith':
        case 'contains':
          return (typeof value === 'string' && value.length > 0) || fail(`${at}.value`, 'must be a non-empty string');
        default:
          return typed(value, `${at}.value`);
      }
    }
    if ('reachable' in node)
      return (
        onlyKeys(node, at, ['reachable']) &&
        (node.reachable === 'email' || node.reachable === 'sms' || fail(`${at}.reachable`, 'must be "email" or "sms"'))
      );
    if ('inList' in node) return onlyKeys(node, at, ['inList']) && label(node.inList, `${at}.inList`);
    if ('inSegment' in node) return onlyKeys(node, at, ['inSegment']) && label(node.inSegment, `${at}.inSegment`);
    if ('purchased' in node || 'neverPurchased' in node) {
      const key = 'purchased' in node ? 'purchased' : 'neverPurchased';
      if (!onlyKeys(node, at, [key])) return false;
      const p = node[key];
      const here = `${at}.${key}`;
      if (!isObject(p)) return fail(here, 'must be an object such as {"category": "shoes"}');
      if (!onlyKeys(p, here, key === 'purchased' ? ['category', 'sku', 'within', 'count'] : ['category', 'sku'])) return false;
      if ((p.category === undefined) === (p.sku === undefined)) return fail(`${here}.category`, 'give exactly one of category or sku');
      return (
        (p.category === undefined || label(p.category, `${here}.category`)) &&
        (p.sku === undefined || label(p.sku, `${here}.sku`)) &&
        within(p.within, `${here}.within`) &&
        count(
          p.count,
          `${here}.count`,
          p.within !== undefined,
          p.category !== undefined ? AGGREGATE_BOUNDS.categoryTimes : AGGREGATE_BOUNDS.skuTimes,
        )
      );
    }
    if ('event' in node) {
      if (!onlyKeys(node, at, ['event'])) return false;
      const e = node.event;
      if (!isObject(e)) return fail(`${at}.event`, 'must be an object such as {"type": "visit"}');
      return (
        onlyKeys(e, `${at}.event`, ['type', 'within', 'count']) &&
        label(e.type, `${at}.event.type`) &&
        within(e.within, `${at}.event.within`) &&
        count(e.count, `${at}.event.count`, e.within !== undefined, AGGREGATE_BOUNDS.eventTimes)
      );
    }
    return fail(at, 'unknown rule: use and, or, not, field/op/value, reachable, inList, inSegment, purchased, neverPurchased or event');
  };
  return check(raw, path, 0) && issues.length === 0 ? { rule: raw as Rule, issues } : { issues };
}

/** Segment ids a rule refers to with inSegment, with their paths. */
export function referencesOf(rule: Rule, kind: 'inSegment' | 'inList', path = 'rule'): { id: string; path: string }[] {
  if ('and' in rule) return rule.and.flatMap((r, i) => referencesOf(r, kind, `${path}.and.${i}`));
  if ('or' in rule) return rule.or.flatMap((r, i) => referencesOf(r, kind, `${path}.or.${i}`));
  if ('not' in rule) return referencesOf(rule.not, kind, `${path}.not`);
  if (kind === 'inSegment' && 'inSegment' in rule) return [{ id: rule.inSegment, path: `${path}.inSegment` }];
  if (kind === 'inList' && 'inList' in rule) return [{ id: rule.inList, path: `${path}.inList` }];
  return [];
}

/** The documented shape of a rule node, for the OpenAPI document. */
const ruleDoc = {
  description:
    'A segment rule (docs/segments.md): and/or/not, {field, op, value}, reachable, inList, inSegment, purchased, neverPurchased, event',
  type: 'object',
  examples: [
    {
      and: [
        { field: 'lifecycle', op: 'in', value: ['active', 'loyal'] },
        { purchased: { category: 'shoes', within: 'P90D', count: { gte: 2 } } },
        { reachable: 'email' },
      ],
    },
  ],
};

/** A rule in a request body: checked by validateRule, so errors name the bad node's path. */
export const SegmentRule = z
  .unknown()
  .superRefine((value, ctx) => {
    for (const issue of validateRule(value, '').issues)
      ctx.addIssue({ code: 'custom', message: issue.message, path: issue.field.split('.').filter(Boolean) });
  })
  .meta(ruleDoc) as unknown as z.ZodType<Rule>;

export const SegmentName = z.string().trim().min(1, 'must not be empty').max(200);

export const Segment = z.object({
  segmentId: z.string(),
  name: SegmentName,
  description: z.string().max(1000).optional(),
  rule: SegmentRule,
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Segment = z.infer<typeof Segment>;

export const CreateSegment = z.object({ name: SegmentName, description: z.string().max(1000).optional(), rule: SegmentRule });
export type CreateSegment = z.infer<typeof CreateSegment>;
export const UpdateSegment = CreateSegment.partial().refine((u) => Object.keys(u).length > 0, {
  message: 'give a name, description or rule to change',
  path: ['name'],
});
export type UpdateSegment = z.infer<typeof UpdateSegment>;

/** What a segment matches: how many, how many reachable per channel, and a few examples. */
export const SegmentSize = z.object({
  count: z.number().int(),
  reachable: z.object({ email: z.number().int(), sms: z.number().int() }),
  /** Contacts evaluated. */
  scanned: z.number().int(),
  /** False when a preview ran out of time: the figures then cover `scanned` contacts only (use a count job). */
  complete: z.boolean(),
});
export type SegmentSize = z.infer<typeof SegmentSize>;

/**
 * A count of a big base, fanned out over queue workers: one part per range of the contact key
 * space, each advanced a page at a time. The rule and the clock are fixed when it starts.
 */
export const SegmentCount = z.object({
  countId: z.string(),
  segmentId: z.string(),
  rule: SegmentRule,
  parts: z.number().int(),
  /** The rules of the segments it refers to (directly or not), fixed when it starts. */
  segments: z.record(z.string(), SegmentRule).default({}),
  /** The evaluation time every part uses (relative-time rules stay consistent across pages). */
  at: z.iso.datetime(),
  createdAt: z.iso.datetime(),
});
export type SegmentCount = z.infer<typeof SegmentCount>;

export const SegmentCountPart = z.object({
  part: z.number().int(),
  /** Pages done; each step is written on condition that the stored step is the one before. */
  step: z.number().int(),
  cursor: z.string().optional(),
  done: z.boolean(),
  scanned: z.number().int(),
  count: z.number().int(),
  reachableEmail: z.number().int(),
  reachableSms: z.number().int(),
  updatedAt: z.iso.datetime(),
});
export type SegmentCountPart = z.infer<typeof SegmentCountPart>;

export const SegmentCountStatus = SegmentSize.extend({
  countId: z.string(),
  segmentId: z.string(),
  status: z.enum(['running', 'done']),
  partsDone: z.number().int(),
  parts: z.number().int(),
  at: z.iso.datetime(),
});
export type SegmentCountStatus = z.infer<typeof SegmentCountStatus>;
