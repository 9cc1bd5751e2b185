/**
 * The rule builder's model, pure: which nodes it can show visually (exactly, so nothing is lost
 * or rewritten on the way), the fields and the operators each one takes, defaults, durations and
 * counts. Everything the API decides comes from shared/domain/segment.ts itself: the operators a
 * field takes are asked of `validateRule`, so the builder offers what the API accepts.
 */
import { Channel, ConsentStatus } from '@shared/domain/contact.ts';
import {
  type CountRange,
  type FieldKind,
  fieldKind,
  OPS,
  type Op,
  type Rule,
  SEGMENT_FIELDS,
  validateRule,
} from '@shared/domain/segment.ts';
import { Lifecycle, Tier } from '@shared/domain/value.ts';

export type Json = unknown;
type Scalar = string | number | boolean;

/** What the builder draws for a node; `json` is an editable JSON box for anything else. */
export type NodeKind =
  | 'and'
  | 'or'
  | 'not'
  | 'field'
  | 'reachable'
  | 'inList'
  | 'inSegment'
  | 'purchased'
  | 'neverPurchased'
  | 'event'
  | 'json';

export const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const keysWithin = (o: Record<string, unknown>, allowed: string[]) => Object.keys(o).every((k) => allowed.includes(k));
const isScalar = (v: unknown): v is Scalar => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

export const COUNT_OPS = ['gte', 'gt', 'lte', 'lt', 'eq'] as const;
export type CountOp = (typeof COUNT_OPS)[number];
export const COUNT_LABELS: Record<CountOp, string> = {
  gte: 'at least',
  gt: 'more than',
  lte: 'at most',
  lt: 'fewer than',
  eq: 'exactly',
};

const isCount = (v: unknown) =>
  v === undefined ||
  (isObject(v) && Object.entries(v).every(([k, n]) => (COUNT_OPS as readonly string[]).includes(k) && typeof n === 'number'));
const isOptionalString = (v: unknown) => v === undefined || typeof v === 'string';
const oneOf = (p: Record<string, unknown>, a: string, b: string) =>
  (typeof p[a] === 'string' && p[b] === undefined) || (typeof p[b] === 'string' && p[a] === undefined);

/** The builder's kind for a node: a visual editor only where it can show the node exactly. */
export function kindOf(node: Json): NodeKind {
  if (!isObject(node)) return 'json';
  const keys = Object.keys(node);
  if (keys.length === 1 && (keys[0] === 'and' || keys[0] === 'or') && Array.isArray(node[keys[0]])) return keys[0];
  if (keys.length === 1 && keys[0] === 'not') return 'not';
  if ('field' in node) return fieldFits(node) ? 'field' : 'json';
  if (keys.length !== 1) return 'json';
  const [key] = keys as [string];
  const v = node[key];
  switch (key) {
    case 'reachable':
      return v === 'email' || v === 'sms' ? 'reachable' : 'json';
    case 'inList':
    case 'inSegment':
      return typeof v === 'string' ? key : 'json';
    case 'purchased':
      return isObject(v) &&
        keysWithin(v, ['category', 'sku', 'within', 'count']) &&
        oneOf(v, 'category', 'sku') &&
        isOptionalString(v.within) &&
        isCount(v.count)
        ? 'purchased'
        : 'json';
    case 'neverPurchased':
      return isObject(v) && keysWithin(v, ['category', 'sku']) && oneOf(v, 'category', 'sku') ? 'neverPurchased' : 'json';
    case 'event':
      return isObject(v) &&
        keysWithin(v, ['type', 'within', 'count']) &&
        typeof v.type === 'string' &&
        isOptionalString(v.within) &&
        isCount(v.count)
        ? 'event'
        : 'json';
    default:
      return 'json';
  }
}

// ---------------------------------------------------------------------------------------------
// Fields and operators

/** The value editor a field and operator need. */
export type ValueType = 'string' | 'number' | 'time' | 'boolean';

const FIELD_LABELS: Record<string, string> = {
  contactId: 'Contact id',
  email: 'Email',
  phone: 'Phone',
  externalId: 'External id',
  firstName: 'First name',
  lastName: 'Last name',
  timezone: 'Time zone',
  locale: 'Locale',
  preferredChannel: 'Preferred channel',
  'consent.email': 'Email consent',
  'consent.sms': 'SMS consent',
  createdAt: 'Created',
  updatedAt: 'Updated',
  orders: 'Orders',
  revenue: 'Revenue',
  averageOrderValue: 'Average order value',
  refunds: 'Refunds',
  firstPurchaseAt: 'First purchase',
  lastPurchaseAt: 'Last purchase',
  'rfm.r': 'RFM recency score (1–5)',
  'rfm.f': 'RFM frequency score (1–5)',
  'rfm.m': 'RFM monetary score (1–5)',
  tier: 'Tier (Pareto A/B/C)',
  lifecycle: 'Lifecycle stage',
  'attributes.<name>': 'Attribute…',
  'topics.<name>': 'Topic consent…',
};

const GROUP_OF = (field: string): string => {
  if (field.startsWith('attributes.') || field.startsWith('topics.') || field.startsWith('consent.')) return 'Consent and attributes';
  if (['orders', 'revenue', 'averageOrderValue', 'refunds', 'firstPurchaseAt', 'lastPurchaseAt'].includes(field)) return 'Purchases';
  if (['rfm.r', 'rfm.f', 'rfm.m', 'tier', 'lifecycle'].includes(field)) return 'Value model';
  return 'Contact';
};

/** The fields, grouped, as the API lists them (`attributes.<name>` and `topics.<name>` take a name). */
export const FIELD_OPTIONS: { group: string; items: { value: string; label: string }[] }[] = (() => {
  const groups = new Map<string, { value: string; label: string }[]>();
  for (const field of SEGMENT_FIELDS) {
    const group = GROUP_OF(field);
    groups.set(group, [...(groups.get(group) ?? []), { value: field, label: FIELD_LABELS[field] ?? field }]);
  }
  return ['Contact', 'Value model', 'Purchases', 'Consent and attributes']
    .filter((g) => groups.has(g))
    .map((group) => ({ group, items: groups.get(group) ?? [] }));
})();

export const fieldLabel = (field: string) => FIELD_LABELS[field] ?? field;

/** `attributes.plan` → the picker's `attributes.<name>` with the name `plan`. */
export function splitField(field: string): { base: string; name?: string } {
  for (const prefix of ['attributes.', 'topics.'])
    if (field.startsWith(prefix)) return { base: `${prefix}<name>`, name: field.slice(prefix.length) };
  return { base: field };
}

export const joinField = (base: string, name = '') => (base.endsWith('.<name>') ? base.replace('<name>', name) : base);

/**
 * A field's kind; `attributes.` and `topics.` with a name still being typed (or a bad one) count
 * as their family, so the editor stays while the validator's message shows on the name.
 */
export function kindFor(field: string): FieldKind | undefined {
  return fieldKind(field) ?? (field.startsWith('attributes.') ? 'any' : field.startsWith('topics.') ? 'string' : undefined);
}

/** A valid field of the same kind, for asking the validator. */
const probeOf = (field: string) =>
  fieldKind(field) !== undefined
    ? field
    : field.startsWith('attributes.')
      ? 'attributes.x'
      : field.startsWith('topics.')
        ? 'topics.x'
        : field;

const opsCache = new Map<string, Op[]>();
/** The operators the API accepts for a field, asked of its own validator. */
export function opsFor(field: string): Op[] {
  const probe = probeOf(field);
  if (!opsCache.has(probe))
    opsCache.set(
      probe,
      OPS.filter((op) => !validateRule({ field: probe, op }, '').issues.some((i) => i.field === '.op' || i.field === '.field')),
    );
  return opsCache.get(probe) ?? [];
}

export const OP_LABELS: Record<Op, string> = {
  eq: 'is',
  neq: 'is not',
  in: 'is one of',
  nin: 'is none of',
  gt: 'is greater than',
  gte: 'is at least',
  lt: 'is less than',
  lte: 'is at most',
  between: 'is between',
  exists: 'is set',
  startsWith: 'starts with',
  contains: 'contains',
  withinLast: 'is within the last',
  notWithinLast: 'is not within the last',
};
const TIME_OP_LABELS: Partial<Record<Op, string>> = { gt: 'is after', gte: 'is on or after', lt: 'is before', lte: 'is on or before' };
export const opLabel = (op: Op, kind: FieldKind | undefined) => (kind === 'time' ? (TIME_OP_LABELS[op] ?? OP_LABELS[op]) : OP_LABELS[op]);

/** The closed values of an enumerated field (the validator refuses others; a test keeps the two in step). */
export function enumFor(field: string): readonly string[] | undefined {
  if (field === 'tier') return Tier.options;
  if (field === 'lifecycle') return Lifecycle.options;
  if (field === 'preferredChannel') return Channel.options;
  if (field === 'consent.email' || field === 'consent.sms' || field.startsWith('topics.')) return ConsentStatus.options;
  return undefined;
}

const valueTypeOfKind = (kind: FieldKind): ValueType | undefined =>
  kind === 'number' ? 'number' : kind === 'time' ? 'time' : kind === 'string' ? 'string' : undefined;

/** The editor type of a scalar for a field: fixed by the field's kind, or by the value for an attribute. */
export function valueTypeOf(field: string, v: unknown): ValueType | undefined {
  const kind = kindFor(field);
  if (kind === undefined) return undefined;
  const fixed = valueTypeOfKind(kind);
  if (fixed) {
    if (fixed === 'number') return typeof v === 'number' ? 'number' : undefined;
    return typeof v === 'string' ? fixed : undefined;
  }
  return typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'boolean' : typeof v === 'string' ? 'string' : undefined;
}

/** Whether a field node's value fits a visual editor exactly (else it is shown as JSON). */
function fieldFits(node: Record<string, unknown>): boolean {
  const { field, op, value } = node;
  if (!keysWithin(node, ['field', 'op', 'value']) || typeof field !== 'string' || typeof op !== 'string') return false;
  if (kindFor(field) === undefined || !opsFor(field).includes(op as Op)) return false;
  const scalarFits = (v: unknown) => isScalar(v) && valueTypeOf(field, v) !== undefined;
  switch (op as Op) {
    case 'exists':
      return value === undefined || typeof value === 'boolean';
    case 'in':
    case 'nin':
      // One value a line: all numbers, or all strings that are not empty and hold no line break.
      return (
        Array.isArray(value) &&
        value.every(scalarFits) &&
        (value.every((v) => typeof v === 'string' && v !== '' && !v.includes('\n')) || value.every((v) => typeof v === 'number'))
      );
    case 'between':
      return (
        Array.isArray(value) && value.length === 2 && scalarFits(value[0]) && scalarFits(value[1]) && typeof value[0] === typeof value[1]
      );
    case 'withinLast':
    case 'notWithinLast':
    case 'startsWith':
    case 'contains':
      return typeof value === 'string';
    default:
      return scalarFits(value);
  }
}

/** A sensible value for a field and operator, reusing the previous value where it still fits. */
export function defaultValue(field: string, op: Op, previous?: unknown): unknown {
  const options = enumFor(field);
  const kind = kindFor(field);
  const prevScalar = Array.isArray(previous) ? previous[0] : previous;
  const fits = (v: unknown) => isScalar(v) && valueTypeOf(field, v) !== undefined && (!options || options.includes(v as string));
  const blank = (): Scalar => options?.[0] ?? (kind === 'number' ? 0 : kind === 'time' ? new Date().toISOString().slice(0, 10) : '');
  const one = fits(prevScalar) ? (prevScalar as Scalar) : blank();
  switch (op) {
    case 'exists':
      return true;
    case 'in':
    case 'nin':
      return fits(prevScalar) && prevScalar !== '' ? [prevScalar] : [];
    case 'between':
      return Array.isArray(previous) && previous.length === 2 && previous.every(fits) ? previous : [one, one];
    case 'withinLast':
    case 'notWithinLast':
      return typeof previous === 'string' && parseDuration(previous) ? previous : 'P30D';
    case 'startsWith':
    case 'contains':
      return typeof prevScalar === 'string' ? prevScalar : '';
    default:
      return one;
  }
}

/** A field node after choosing a field: the operator kept if it still applies, the value adapted. */
export function withField(node: { field: string; op: Op; value?: unknown }, field: string): Rule {
  const ops = opsFor(field);
  const enumerated = enumFor(field);
  const same = kindFor(field) === kindFor(node.field);
  const op: Op = ops.includes(node.op) && same ? node.op : enumerated ? 'in' : kindFor(field) === 'time' ? 'withinLast' : (ops[0] ?? 'eq');
  const value = same && !enumerated && !enumFor(node.field) ? node.value : undefined;
  return fieldNode(field, op, defaultValue(field, op, value));
}

export function withOp(node: { field: string; op: Op; value?: unknown }, op: Op): Rule {
  return fieldNode(node.field, op, defaultValue(node.field, op, node.value));
}

function fieldNode(field: string, op: Op, value: unknown): Rule {
  return (value === undefined ? { field, op } : { field, op, value }) as Rule;
}

// ---------------------------------------------------------------------------------------------
// Durations: a number and a unit where the ISO text is that simple, the text itself otherwise.

export const DURATION_UNITS = [
  { unit: 'minutes', iso: (n: number) => `PT${n}M`, re: /^PT(\d+)M$/ },
  { unit: 'hours', iso: (n: number) => `PT${n}H`, re: /^PT(\d+)H$/ },
  { unit: 'days', iso: (n: number) => `P${n}D`, re: /^P(\d+)D$/ },
  { unit: 'weeks', iso: (n: number) => `P${n}W`, re: /^P(\d+)W$/ },
  { unit: 'months', iso: (n: number) => `P${n}M`, re: /^P(\d+)M$/ },
  { unit: 'years', iso: (n: number) => `P${n}Y`, re: /^P(\d+)Y$/ },
] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number]['unit'];

export function parseDuration(text: string): { amount: number; unit: DurationUnit } | undefined {
  for (const u of DURATION_UNITS) {
    const m = u.re.exec(text);
    if (m) return { amount: Number(m[1]), unit: u.unit };
  }
  return undefined;
}

export const durationOf = (amount: number, unit: DurationUnit) =>
  (DURATION_UNITS.find((u) => u.unit === unit) ?? DURATION_UNITS[2]).iso(amount);

// ---------------------------------------------------------------------------------------------
// New nodes, for the builder's "Add" menu.

export const NEW_NODES = {
  field: (): Rule => ({ field: 'lifecycle', op: 'in', value: ['active', 'loyal'] }),
  purchased: (): Rule => ({ purchased: { category: '', within: 'P90D' } }),
  neverPurchased: (): Rule => ({ neverPurchased: { category: '' } }),
  event: (): Rule => ({ event: { type: '', within: 'P30D' } }),
  reachable: (): Rule => ({ reachable: 'email' }),
  inList: (): Rule => ({ inList: '' }),
  inSegment: (): Rule => ({ inSegment: '' }),
  and: (): Rule => ({ and: [{ reachable: 'email' }] }),
  or: (): Rule => ({ or: [{ reachable: 'email' }] }),
} satisfies Record<string, () => Rule>;

export const NEW_SEGMENT_RULE: Rule = { and: [{ reachable: 'email' }] };

export type { CountRange, Op, Rule };

/** Number of rule nodes (for the list page's summary). */
export function nodeCount(rule: Json): number {
  if (!isObject(rule)) return 1;
  if (Array.isArray(rule.and)) return 1 + rule.and.reduce<number>((n, r) => n + nodeCount(r), 0);
  if (Array.isArray(rule.or)) return 1 + rule.or.reduce<number>((n, r) => n + nodeCount(r), 0);
  if ('not' in rule) return 1 + nodeCount(rule.not);
  return 1;
}

/** A rule in one line of words, for the list of segments. */
export function describeRule(rule: Json, depth = 0): string {
  if (depth > 2) return '…';
  const kind = kindOf(rule);
  const r = rule as Record<string, unknown>;
  switch (kind) {
    case 'and':
    case 'or': {
      const parts = (r[kind] as Json[]).map((c) => describeRule(c, depth + 1));
      const text = parts.join(kind === 'and' ? ' and ' : ' or ');
      return depth > 0 && parts.length > 1 ? `(${text})` : text;
    }
    case 'not':
      return `not ${describeRule(r.not, depth + 1)}`;
    case 'field': {
      const { field, op, value } = r as { field: string; op: Op; value?: unknown };
      const { base, name } = splitField(field);
      const label = base.endsWith('<name>') ? `${base.startsWith('topics.') ? 'topic' : 'attribute'} ${name}` : fieldLabel(field);
      if (op === 'exists') return `${label} ${value === false ? 'is not set' : 'is set'}`;
      const shown = Array.isArray(value) ? value.join(op === 'between' ? ' and ' : ', ') : String(value);
      return `${label} ${opLabel(op, kindFor(field))} ${shown}`;
    }
    case 'reachable':
      return `reachable by ${r.reachable === 'sms' ? 'SMS' : 'email'}`;
    case 'inList':
      return 'in a list';
    case 'inSegment':
      return 'in another segment';
    case 'purchased':
    case 'neverPurchased': {
      const p = r[kind] as { category?: string; sku?: string; within?: string };
      const what = p.category ?? `SKU ${p.sku}`;
      return kind === 'purchased' ? `bought ${what}${p.within ? ` within ${p.within}` : ''}` : `never bought ${what}`;
    }
    case 'event': {
      const e = r.event as { type: string; within?: string };
      return `${e.type} event${e.within ? ` within ${e.within}` : ''}`;
    }
    default:
      return 'a JSON condition';
  }
}
