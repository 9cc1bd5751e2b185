/**
 * Segment evaluation: one pure function over what one stored contact item holds (its profile,
 * attributes, consent, list ids and value aggregates). A rule is compiled once into nested
 * closures, then applied to each item; nothing else is read per contact.
 *
 * Missing values: a contact without the field matches only `exists: false`, `neq`, `nin` and
 * `notWithinLast` (someone who never bought has not bought within the last 30 days).
 */
import { isReachable, reachOf } from './contact.ts';
import { durationSeconds, type CountRange, type Rule } from './segment.ts';
import { lifecycleOf, scoreOf, tierOf, type Boundaries, type ValueSettings } from './value.ts';

/** A stored contact item, as the document client returns it. Read defensively: never cast. */
export type ContactItem = Record<string, unknown>;
export type Predicate = (item: ContactItem) => boolean;

export interface EvalContext {
  now: Date;
  settings: ValueSettings;
  /** Absent until the value-model schedule has run once: RFM and tier then match nothing. */
  boundaries?: Boundaries;
  /** Rules of the segments that `inSegment` names (checked for cycles when saved). */
  segments?: Map<string, Rule>;
}

type Value = string | number | boolean | undefined;
type Accessor = (item: ContactItem) => Value;

const obj = (v: unknown): Record<string, unknown> | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const scalar = (v: unknown): Value => (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : undefined);
const aggregatesOf = (item: ContactItem) => obj(item.value);
const epochSeconds = (iso: unknown) => (typeof iso === 'string' ? Math.floor(Date.parse(iso) / 1000) : undefined);

const TIME_FIELDS = new Set(['createdAt', 'updatedAt', 'firstPurchaseAt', 'lastPurchaseAt']);

function accessor(field: string, ctx: EvalContext): Accessor {
  const nowSeconds = Math.floor(ctx.now.getTime() / 1000);
  const b = ctx.boundaries;
  if (field.startsWith('attributes.')) {
    const name = field.slice('attributes.'.length);
    return (item) => scalar(obj(item.attributes)?.[name]);
  }
  if (field.startsWith('topics.')) {
    // The contact's own choice, as consent.<channel> reads it; never chosen is `unknown` (the topic's default is not applied).
    const name = field.slice('topics.'.length);
    return (item) => {
      const topics = obj(item.topics);
      return (topics && Object.hasOwn(topics, name) ? scalar(obj(topics[name])?.status) : undefined) ?? 'unknown';
    };
  }
  if (field === 'consent.email' || field === 'consent.sms') {
    const channel = field.slice('consent.'.length);
    return (item) => scalar(obj(obj(item.consent)?.[channel])?.status);
  }
  switch (field) {
    case 'createdAt':
    case 'updatedAt':
      return (item) => epochSeconds(item[field]);
    case 'orders':
    case 'revenue':
    case 'averageOrderValue':
    case 'refunds':
      return (item) => num(aggregatesOf(item)?.[field]) ?? 0;
    case 'firstPurchaseAt':
    case 'lastPurchaseAt':
      return (item) => num(aggregatesOf(item)?.[field]);
    case 'rfm.r':
    case 'rfm.f':
    case 'rfm.m': {
      if (!b || b.customers === 0) return () => undefined;
      const axis = field.slice(4);
      return (item) => {
        const v = aggregatesOf(item);
        const last = num(v?.lastPurchaseAt);
        if (!v || last === undefined) return undefined;
        if (axis === 'r') return scoreOf(last, b.recency);
        return axis === 'f' ? scoreOf(num(v.orders) ?? 0, b.frequency) : scoreOf(num(v.revenue) ?? 0, b.monetary);
      };
    }
    case 'tier':
      // As for RFM, and as the contact view shows: no tier until boundaries cover some customers.
      if (!b || b.customers === 0) return () => undefined;
      return (item) => ((num(aggregatesOf(item)?.orders) ?? 0) > 0 ? tierOf(num(aggregatesOf(item)?.revenue) ?? 0, b) : undefined);
    case 'lifecycle': {
      const settings = ctx.settings.lifecycle;
      const none: unknown[] = [];
      return (item) => {
        const v = aggregatesOf(item);
        if (!v) return 'prospect';
        return lifecycleOf(
          {
            orders: num(v.orders) ?? 0,
            lastPurchaseAt: num(v.lastPurchaseAt),
            previousPurchaseAt: num(v.previousPurchaseAt),
            orderTimes: Array.isArray(v.orderTimes) ? v.orderTimes : none,
          },
          settings,
          nowSeconds,
        );
      };
    }
    default:
      return (item) => scalar(item[field]);
  }
}

function compare(op: string, expected: unknown, field: string, ctx: EvalContext): (v: Value) => boolean {
  const time = TIME_FIELDS.has(field);
  const norm = (x: unknown): Value => (time && typeof x === 'string' ? epochSeconds(x) : scalar(x));
  const e = Array.isArray(expected) ? expected.map(norm) : norm(expected);
  const nowSeconds = Math.floor(ctx.now.getTime() / 1000);
  switch (op) {
    case 'eq':
      return (v) => v !== undefined && v === e;
    case 'neq':
      return (v) => v !== e;
    case 'in': {
      const set = new Set(e as Value[]);
      return (v) => v !== undefined && set.has(v);
    }
    case 'nin': {
      const set = new Set(e as Value[]);
      return (v) => !set.has(v);
    }
    case 'gt':
      return (v) => v !== undefined && typeof v === typeof e && (v as number) > (e as number);
    case 'gte':
      return (v) => v !== undefined && typeof v === typeof e && (v as number) >= (e as number);
    case 'lt':
      return (v) => v !== undefined && typeof v === typeof e && (v as number) < (e as number);
    case 'lte':
      return (v) => v !== undefined && typeof v === typeof e && (v as number) <= (e as number);
    case 'between': {
      const [lo, hi] = e as [number, number];
      return (v) => v !== undefined && typeof v === typeof lo && (v as number) >= lo && (v as number) <= hi;
    }
    case 'exists': {
      const want = expected !== false;
      return (v) => (v !== undefined && v !== '') === want;
    }
    case 'startsWith': {
      const prefix = String(expected).toLowerCase();
      return (v) => typeof v === 'string' && v.toLowerCase().startsWith(prefix);
    }
    case 'contains': {
      const part = String(expected).toLowerCase();
      return (v) => typeof v === 'string' && v.toLowerCase().includes(part);
    }
    case 'withinLast':
    case 'notWithinLast': {
      const since = nowSeconds - (durationSeconds(String(expected)) ?? 0);
      const within = (v: Value) => typeof v === 'number' && v >= since;
      return op === 'withinLast' ? within : (v) => !within(v);
    }
    default:
      throw new Error(`unknown operator ${op}`);
  }
}

function countMatches(range: CountRange | undefined): (n: number) => boolean {
  const r = range ?? { gte: 1 };
  return (n) =>
    (r.gte === undefined || n >= r.gte) &&
    (r.gt === undefined || n > r.gt) &&
    (r.lte === undefined || n <= r.lte) &&
    (r.lt === undefined || n < r.lt) &&
    (r.eq === undefined || n === r.eq);
}

/** How many times a tally (category, sku or event type) occurred, optionally within a window. */
function tallyCounter(
  group: 'categories' | 'skus' | 'events',
  key: string,
  within: string | undefined,
  ctx: EvalContext,
): (item: ContactItem) => number {
  const since = within === undefined ? undefined : Math.floor(ctx.now.getTime() / 1000) - (durationSeconds(within) ?? 0);
  return (item) => {
    const t = obj(obj(aggregatesOf(item)?.[group])?.[key]);
    if (!t) return 0;
    if (since === undefined) return num(t.count) ?? 0;
    const times = t.times;
    if (!Array.isArray(times)) return 0;
    let n = 0; // a counting loop, not filter(): this runs once per contact
    for (let i = 0; i < times.length; i++) {
      const x = times[i];
      if (typeof x === 'number' && x >= since) n++;
    }
    return n;
  };
}

function hasList(item: ContactItem, listId: string): boolean {
  const lists = item.lists;
  if (lists instanceof Set) return lists.has(listId);
  return Array.isArray(lists) && lists.includes(listId);
}

/** A contact may be messaged on a channel: consented, has the address, not suppressed (as campaigns decide). */
export const reachable = (item: ContactItem, channel: 'email' | 'sms'): boolean => isReachable(reachOf(item, channel));

/**
 * Compiles a (validated) rule into a predicate over stored contact items. Each referenced
 * segment is compiled once however often it is named; a reference back into a segment being
 * compiled (a cycle, which saving refuses) matches nobody.
 */
export function compileRule(rule: Rule, ctx: EvalContext): Predicate {
  return compile(rule, ctx, new Map());
}

function compile(rule: Rule, ctx: EvalContext, referenced: Map<string, Predicate | 'compiling'>): Predicate {
  if ('and' in rule) {
    const parts = rule.and.map((r) => compile(r, ctx, referenced));
    return (item) => {
      for (const p of parts) if (!p(item)) return false;
      return true;
    };
  }
  if ('or' in rule) {
    const parts = rule.or.map((r) => compile(r, ctx, referenced));
    return (item) => {
      for (const p of parts) if (p(item)) return true;
      return false;
    };
  }
  if ('not' in rule) {
    const inner = compile(rule.not, ctx, referenced);
    return (item) => !inner(item);
  }
  if ('field' in rule) {
    const get = accessor(rule.field, ctx);
    const test = compare(rule.op, rule.value, rule.field, ctx);
    return (item) => test(get(item));
  }
  if ('reachable' in rule) {
    const channel = rule.reachable;
    return (item) => reachable(item, channel);
  }
  if ('inList' in rule) {
    const listId = rule.inList;
    return (item) => hasList(item, listId);
  }
  if ('inSegment' in rule) {
    const id = rule.inSegment;
    const done = referenced.get(id);
    if (done === 'compiling') return () => false;
    if (done) return done;
    const target = ctx.segments?.get(id);
    if (!target) return () => false; // a deleted segment matches nobody
    referenced.set(id, 'compiling');
    const predicate = compile(target, ctx, referenced);
    referenced.set(id, predicate);
    return predicate;
  }
  if ('purchased' in rule) {
    const p = rule.purchased;
    const counter = tallyCounter(p.category !== undefined ? 'categories' : 'skus', (p.category ?? p.sku) as string, p.within, ctx);
    const ok = countMatches(p.count);
    return (item) => ok(counter(item));
  }
  if ('neverPurchased' in rule) {
    const p = rule.neverPurchased;
    const counter = tallyCounter(p.category !== undefined ? 'categories' : 'skus', (p.category ?? p.sku) as string, undefined, ctx);
    return (item) => counter(item) === 0;
  }
  const e = rule.event;
  const counter = tallyCounter('events', e.type, e.within, ctx);
  const ok = countMatches(e.count);
  return (item) => ok(counter(item));
}
