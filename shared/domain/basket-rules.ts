/**
 * Cross-sell rules mined from a workspace's own baskets (market-basket association rules).
 * Pure: baskets in, rules out; the schedule that reads purchase events and stores the RuleSet,
 * and the trigger that calls `recommend`, live elsewhere (docs/recommendations.md).
 *
 * A rule X ⇒ y says "baskets holding every item of X also hold y more often than chance":
 * support = P(X ∪ y), confidence = P(y | X), lift = confidence / P(y). Items are category or
 * product names, trimmed; an item repeated in a basket counts once, and a basket left with no
 * items is not counted at all (an order without categories says nothing about what goes together).
 */
import * as z from 'zod';
import { ValidationFailed } from './errors.ts';
import { csvText } from './csv.ts';

export const AssociationRule = z.object({
  /** The items that must all have been bought, sorted by name. */
  antecedent: z.array(z.string().min(1)).min(1),
  /** The one item the rule suggests. */
  consequent: z.string().min(1),
  /** Share of all baskets holding the antecedent and the consequent. */
  support: z.number().min(0).max(1),
  /** Share of the baskets holding the antecedent that also hold the consequent. */
  confidence: z.number().min(0).max(1),
  /** confidence / P(consequent): above 1 the antecedent makes the consequent more likely. */
  lift: z.number().min(0),
  /** Baskets holding the antecedent and the consequent (support × baskets). */
  count: z.number().int().positive(),
});
export type AssociationRule = z.infer<typeof AssociationRule>;

/** What a mining run leaves: stored as JSON, parsed with this schema when read back. */
export const RuleSet = z.object({
  /** Baskets counted (non-empty ones): the denominator of every support. */
  baskets: z.number().int().nonnegative(),
  /** Strongest first: lift, then confidence, then names. */
  rules: z.array(AssociationRule),
});
export type RuleSet = z.infer<typeof RuleSet>;

export const MineOptions = z.object({
  /** Share of baskets an itemset needs to count as frequent. The floor keeps the search bounded. */
  minSupport: z.number().min(0.001).max(1).default(0.005),
  /** Least P(y | X) for a rule to be kept. */
  minConfidence: z.number().min(0).max(1).default(0.2),
  /** Most items on the left of a rule; itemsets are never larger than this + 1. */
  maxAntecedent: z.number().int().min(1).max(4).default(2),
  /** Least lift kept; 1 drops rules whose items go together less often than chance. 0 keeps all. */
  minLift: z.number().min(0).default(1),
  /** Rules kept, strongest first. */
  maxRules: z.number().int().min(1).max(100_000).default(500),
  /** Baskets of evidence a rule needs whatever the percentage (0.5% of a small shop's 300 orders is 1.5). */
  minCount: z.number().int().min(1).default(5),
});
export type MineOptions = z.infer<typeof MineOptions>;

export const Recommendation = z.object({
  item: z.string(),
  lift: z.number(),
  confidence: z.number(),
  support: z.number(),
  /** The antecedent of the rule that fired: what the customer bought that suggests `item`. */
  because: z.array(z.string()),
});
export type Recommendation = z.infer<typeof Recommendation>;

export interface RecommendOptions {
  /** At most this many recommendations (default 3). */
  limit?: number;
  /** Never recommended: the customer's whole purchase history, say, beyond this basket. */
  exclude?: readonly string[];
}

/** Strongest first: lift desc, confidence desc, then antecedent names, then consequent (plain code-unit order, locale-free). */
export function compareRules(a: AssociationRule, b: AssociationRule): number {
  return (
    b.lift - a.lift || b.confidence - a.confidence || compareNames(a.antecedent, b.antecedent) || compareName(a.consequent, b.consequent)
  );
}

const compareName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
function compareNames(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = compareName(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

/**
 * Frequent itemsets found so far, as a prefix tree in flat arrays: itemset `id` is its parent
 * itemset plus one item greater than all of the parent's. Ids below `items` are the single items.
 */
interface Itemsets {
  /** Frequent single items. */
  items: number;
  count: number[];
  parent: number[];
  last: number[];
  /** parent id × items + last item → child id. */
  child: Map<number, number>;
  /** Each itemset's children, ascending by last item (the next level's candidates come from pairs of them). */
  children: number[][];
}

function addItemset(sets: Itemsets, parent: number, last: number, count: number): number {
  const id = sets.count.length;
  sets.count.push(count);
  sets.parent.push(parent);
  sets.last.push(last);
  sets.children.push([]);
  if (parent >= 0) {
    sets.child.set(parent * sets.items + last, id);
    sets.children[parent]!.push(id);
  }
  return id;
}

/** The id of a frequent itemset given as ascending item numbers, if it is one. */
function findItemset(sets: Itemsets, items: readonly number[]): number | undefined {
  let id: number | undefined = items[0];
  for (let i = 1; i < items.length && id !== undefined; i++) id = sets.child.get(id * sets.items + items[i]!);
  return id;
}

function itemsOf(sets: Itemsets, id: number): number[] {
  const items: number[] = [];
  for (let at = id; at >= 0; at = sets.parent[at]!) items.push(sets.last[at]!);
  return items.reverse();
}

/** Baskets as ascending frequent-item numbers, flat: basket b is items[start[b] .. start[b + 1]). */
interface Encoded {
  items: Uint32Array;
  start: Uint32Array;
}

/** Past this many item pairs, pair counts go in a Map of the pairs seen instead of a full triangle. */
const MAX_PAIR_TABLE = 1 << 22;

function countPairs(baskets: Encoded, m: number, minCount: number, sets: Itemsets): void {
  const { items, start } = baskets;
  const triangle = (m * (m - 1)) / 2 <= MAX_PAIR_TABLE;
  // Pair (i, j), i < j, lives at i·m − i(i+1)/2 + (j − i − 1) in the triangle.
  const table = triangle ? new Uint32Array((m * (m - 1)) / 2) : undefined;
  const seen = triangle ? undefined : new Map<number, number>();
  for (let b = 0; b + 1 < start.length; b++) {
    for (let x = start[b]!; x < start[b + 1]!; x++) {
      const i = items[x]!;
      const row = i * m - (i * (i + 1)) / 2 - i - 1;
      for (let y = x + 1; y < start[b + 1]!; y++) {
        const j = items[y]!;
        if (table) table[row + j]!++;
        else seen!.set(i * m + j, (seen!.get(i * m + j) ?? 0) + 1);
      }
    }
  }
  for (let i = 0; i < m; i++) {
    const row = i * m - (i * (i + 1)) / 2 - i - 1;
    for (let j = i + 1; j < m; j++) {
      const count = table ? table[row + j]! : (seen!.get(i * m + j) ?? 0);
      if (count >= minCount) addItemset(sets, i, j, count);
    }
  }
}

/**
 * One Apriori level above pairs: candidates of size k + 1 join two frequent k-itemsets that share
 * their first k − 1 items (siblings in the tree), kept only if every k-subset is frequent; then
 * one pass over the baskets counts them, walking only frequent prefixes present in each basket.
 * Returns the ids of the new frequent itemsets.
 */
function nextLevel(baskets: Encoded, level: number[], size: number, minCount: number, sets: Itemsets): number[] {
  const m = sets.items;
  const candidateAt = new Map<number, number>();
  const candidates: { prefix: number; last: number }[] = [];
  const parents = [...new Set(level.map((id) => sets.parent[id]!))];
  for (const parent of parents) {
    const siblings = sets.children[parent]!;
    for (let a = 0; a < siblings.length; a++) {
      const prefix = siblings[a]!;
      const prefixItems = itemsOf(sets, prefix);
      for (let b = a + 1; b < siblings.length; b++) {
        const last = sets.last[siblings[b]!]!;
        const all = [...prefixItems, last];
        // Dropping the last two items gives the two siblings; every other (size − 1)-subset must be frequent too.
        let prunable = false;
        for (let drop = 0; drop < size - 2 && !prunable; drop++) {
          prunable =
            findItemset(
              sets,
              all.filter((_, i) => i !== drop),
            ) === undefined;
        }
        if (prunable) continue;
        candidateAt.set(prefix * m + last, candidates.length);
        candidates.push({ prefix, last });
      }
    }
  }
  if (candidates.length === 0) return [];
  const counts = new Uint32Array(candidates.length);
  const { items, start } = baskets;
  // Depth-first over the frequent (size − 1)-itemsets inside the basket, then each later item closes a candidate.
  const walk = (id: number, depth: number, from: number, end: number) => {
    if (depth === size - 1) {
      for (let y = from; y < end; y++) {
        const c = candidateAt.get(id * m + items[y]!);
        if (c !== undefined) counts[c]!++;
      }
      return;
    }
    for (let y = from; y < end; y++) {
      const next = sets.child.get(id * m + items[y]!);
      if (next !== undefined) walk(next, depth + 1, y + 1, end);
    }
  };
  for (let b = 0; b + 1 < start.length; b++) {
    const end = start[b + 1]!;
    if (end - start[b]! < size) continue;
    for (let x = start[b]!; x < end; x++) walk(items[x]!, 1, x + 1, end);
  }
  const found: number[] = [];
  candidates.forEach(({ prefix, last }, c) => {
    if (counts[c]! >= minCount) found.push(addItemset(sets, prefix, last, counts[c]!));
  });
  return found;
}

function parseMineOptions(options: z.input<typeof MineOptions>): MineOptions {
  const parsed = MineOptions.safeParse(options);
  if (parsed.success) return parsed.data;
  throw new ValidationFailed(parsed.error.issues.map((i) => ({ field: i.path.map(String).join('.') || 'options', message: i.message })));
}

/** The least count whose share of `n` reaches `share`, exactly as `count / n >= share` decides it. */
function leastCount(share: number, n: number): number {
  let c = Math.ceil(share * n);
  while (c > 0 && (c - 1) / n >= share) c--;
  while (c / n < share) c++;
  return c;
}

/**
 * Mines rules X ⇒ {y} from baskets (Apriori, itemsets up to maxAntecedent + 1 items).
 * Every rule kept has support ≥ minSupport, count ≥ minCount, confidence ≥ minConfidence and
 * lift ≥ minLift; the strongest maxRules are returned, ordered by `compareRules`.
 * Throws ValidationFailed for options out of bounds.
 *
 * Cost: one pass to count items, then one pass per itemset size over the baskets cut down to
 * frequent items; memory grows with the frequent itemsets, never with the baskets' raw subsets.
 */
export function mineRules(baskets: Iterable<readonly string[]>, options: z.input<typeof MineOptions>): RuleSet {
  const o = parseMineOptions(options);
  // 1. Intern names, drop repeats and blanks, count each item once per basket.
  const idOf = new Map<string, number>();
  const names: string[] = [];
  const itemCounts: number[] = [];
  const kept: number[][] = [];
  for (const basket of baskets) {
    const ids = new Set<number>();
    for (const raw of basket) {
      const name = raw.trim();
      if (name === '') continue;
      let id = idOf.get(name);
      if (id === undefined) {
        id = names.length;
        idOf.set(name, id);
        names.push(name);
        itemCounts.push(0);
      }
      ids.add(id);
    }
    if (ids.size === 0) continue;
    for (const id of ids) itemCounts[id]!++;
    kept.push([...ids]);
  }
  const n = kept.length;
  if (n === 0) return { baskets: 0, rules: [] };
  const minCount = Math.max(o.minCount, leastCount(o.minSupport, n));

  // 2. Frequent items, numbered in name order so that ascending numbers are sorted names.
  const frequent = names.map((_, id) => id).filter((id) => itemCounts[id]! >= minCount);
  frequent.sort((a, b) => compareName(names[a]!, names[b]!));
  const numberOf = new Int32Array(names.length).fill(-1);
  frequent.forEach((id, i) => {
    numberOf[id] = i;
  });
  const m = frequent.length;
  const sets: Itemsets = { items: m, count: [], parent: [], last: [], child: new Map(), children: [] };
  for (const id of frequent) addItemset(sets, -1, numberOf[id]!, itemCounts[id]!);

  // 3. Baskets cut down to frequent items; those left with fewer than two cannot hold a pair.
  const flat: number[] = [];
  const starts: number[] = [0];
  for (const basket of kept) {
    const mine = basket
      .map((id) => numberOf[id]!)
      .filter((i) => i >= 0)
      .sort((a, b) => a - b);
    if (mine.length < 2) continue;
    flat.push(...mine);
    starts.push(flat.length);
  }
  const encoded: Encoded = { items: Uint32Array.from(flat), start: Uint32Array.from(starts) };

  // 4. Frequent itemsets level by level, no larger than a rule may be.
  countPairs(encoded, m, minCount, sets);
  const levels = [Array.from({ length: sets.count.length - m }, (_, i) => m + i)];
  for (let size = 3; size <= o.maxAntecedent + 1 && (levels.at(-1)?.length ?? 0) > 0; size++) {
    levels.push(nextLevel(encoded, levels.at(-1)!, size, minCount, sets));
  }

  // 5. Every frequent itemset gives one candidate rule per item taken as the consequent.
  const rules: { antecedent: number[]; consequent: number; count: number; confidence: number; lift: number }[] = [];
  for (const id of levels.flat()) {
    const items = itemsOf(sets, id);
    const count = sets.count[id]!;
    for (const consequent of items) {
      const antecedent = items.filter((i) => i !== consequent);
      const antecedentCount = sets.count[findItemset(sets, antecedent)!]!;
      const confidence = count / antecedentCount;
      if (confidence < o.minConfidence) continue;
      // From integers: one rounding, the same value whichever way it is computed.
      const lift = (count * n) / (antecedentCount * sets.count[consequent]!);
      if (lift < o.minLift) continue;
      rules.push({ antecedent, consequent, count, confidence, lift });
    }
  }
  // Item numbers are in name order, so comparing numbers compares names.
  rules.sort(
    (a, b) => b.lift - a.lift || b.confidence - a.confidence || compareNumbers(a.antecedent, b.antecedent) || a.consequent - b.consequent,
  );
  const nameOf = (i: number) => names[frequent[i]!]!;
  return {
    baskets: n,
    rules: rules.slice(0, o.maxRules).map((r) => ({
      antecedent: r.antecedent.map(nameOf),
      consequent: nameOf(r.consequent),
      support: r.count / n,
      confidence: r.confidence,
      lift: r.lift,
      count: r.count,
    })),
  };
}

function compareNumbers(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/**
 * Up to `limit` items to suggest to someone who bought `bought`: the consequents of rules whose
 * whole antecedent was bought, never an item in `bought` or `exclude`. Each item comes with its
 * strongest rule (compareRules) and the list is ordered the same way, so equal inputs always
 * give the same answer. Names are trimmed as mineRules trims them.
 */
export function recommend(rules: RuleSet, bought: readonly string[], options: RecommendOptions = {}): Recommendation[] {
  const limit = options.limit ?? 3;
  if (limit <= 0) return [];
  const has = new Set(bought.map((item) => item.trim()));
  const never = new Set(has);
  for (const item of options.exclude ?? []) never.add(item.trim());
  const best = new Map<string, AssociationRule>();
  for (const rule of rules.rules) {
    if (never.has(rule.consequent) || !rule.antecedent.every((item) => has.has(item))) continue;
    const seen = best.get(rule.consequent);
    if (seen === undefined || compareRules(rule, seen) < 0) best.set(rule.consequent, rule);
  }
  return [...best.values()]
    .sort(compareRules)
    .slice(0, limit)
    .map((r) => ({ item: r.consequent, lift: r.lift, confidence: r.confidence, support: r.support, because: [...r.antecedent] }));
}

/** The basket rules report: category rules, and product rules once there are enough baskets. */
export const BasketRules = z.object({
  categories: RuleSet,
  products: RuleSet.nullable(),
  /** Why there are no product rules yet. */
  productsNote: z.string().optional(),
});
export type BasketRules = z.infer<typeof BasketRules>;

/** The rules as CSV: one row per rule, the antecedent's items joined with ` + `. */
export function basketRulesCsv(report: BasketRules): string {
  const rows = (level: string, set: RuleSet | null) =>
    (set?.rules ?? []).map((r) => [level, r.antecedent.join(' + '), r.consequent, r.support, r.confidence, r.lift, r.count, set?.baskets]);
  return csvText([
    ['level', 'antecedent', 'consequent', 'support', 'confidence', 'lift', 'count', 'baskets'],
    ...rows('category', report.categories),
    ...rows('product', report.products),
  ]);
}
