/**
 * Expected values come from outside the code under test:
 * (a) a five-basket example worked by hand (arithmetic in the comments);
 * (b) test/fixtures/basket-rules/reference.py, a brute-force Python count of every subset of
 *     every basket (itertools.combinations, exact fractions for the thresholds), run once at
 *     authoring time on seeded synthetic baskets and on the arules Groceries data;
 * (c) the arules figures published for Groceries (Lantz, "Machine Learning with R", ch. 8:
 *     apriori(groceries, support = 0.006, confidence = 0.25, minlen = 2)), checked when the
 *     data set sits beside the project (../shared/datasets/groceries), skipped otherwise;
 * (d) fast-check properties against a brute-force oracle written here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AssociationRule, compareRules, MineOptions, mineRules, RuleSet, recommend } from '../../../shared/domain/basket-rules.ts';
import { ValidationFailed } from '../../../shared/domain/errors.ts';

const PROJECT_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const FIXTURES = resolve(PROJECT_ROOT, 'test/fixtures/basket-rules');
const GROCERIES = resolve(PROJECT_ROOT, '../shared/datasets/groceries/groceries.csv');

/** One block of a reference .tsv (layout in reference.py): the options, figures, and rules in order. */
interface ReferenceCase {
  options: Record<string, number>;
  facts: Record<string, unknown>;
  rules: AssociationRule[];
}
function readReference(name: string): ReferenceCase[] {
  const cases: ReferenceCase[] = [];
  for (const line of readFileSync(resolve(FIXTURES, name), 'utf8').split('\n')) {
    const [kind, ...fields] = line.split('\t');
    if (kind === 'options') cases.push({ options: JSON.parse(fields[0]!), facts: {}, rules: [] });
    else if (kind === 'facts') Object.assign(cases.at(-1)!.facts, JSON.parse(fields[0]!));
    else if (kind === 'rule') {
      const [antecedent, consequent, support, confidence, lift, count] = fields as [string, string, string, string, string, string];
      cases.at(-1)!.rules.push({
        antecedent: antecedent.split('|'),
        consequent,
        support: Number(support),
        confidence: Number(confidence),
        lift: Number(lift),
        count: Number(count),
      });
    }
  }
  return cases;
}

/** Options that filter on nothing but what a case names. */
const ALL = { minLift: 0, minCount: 1, maxRules: 100_000 } as const;

describe('mineRules on a hand-worked example', () => {
  // n = 5 counted baskets (the empty and the blank one are not counted; ' bread' is bread; the
  // second butter counts once). Item counts: bread 3, butter 3, jam 2, milk 2.
  // Pairs: bread+butter 2, butter+jam 2, bread+jam 1, bread+milk 1, others 0. Triple: 1.
  const baskets = [['bread', 'butter'], [' bread', 'butter', 'jam', 'butter'], ['bread', 'milk'], ['butter', 'jam'], ['milk'], [], ['  ']];

  it('finds the four rules of the two pairs with support ≥ 0.4 (count ≥ 2), strongest first', () => {
    // Act
    const result = mineRules(baskets, { minSupport: 0.4, minConfidence: 0.5, ...ALL });

    // Assess
    // jam ⇒ butter:    support 2/5 = 0.4, confidence 2/2 = 1,   lift 2·5 / (2·3) = 5/3
    // butter ⇒ jam:    support 0.4,       confidence 2/3,      lift 2·5 / (3·2) = 5/3
    // bread ⇒ butter:  support 0.4,       confidence 2/3,      lift 2·5 / (3·3) = 10/9
    // butter ⇒ bread:  the same figures as bread ⇒ butter: the names decide, ['bread'] < ['butter'].
    expect(result.baskets).toBe(5);
    expect(result.rules).toEqual([
      { antecedent: ['jam'], consequent: 'butter', support: 0.4, confidence: 1, lift: 5 / 3, count: 2 },
      { antecedent: ['butter'], consequent: 'jam', support: 0.4, confidence: 2 / 3, lift: 5 / 3, count: 2 },
      { antecedent: ['bread'], consequent: 'butter', support: 0.4, confidence: 2 / 3, lift: 10 / 9, count: 2 },
      { antecedent: ['butter'], consequent: 'bread', support: 0.4, confidence: 2 / 3, lift: 10 / 9, count: 2 },
    ]);
  });

  it.each([
    // lift ≥ 1.2 keeps the two 5/3 rules only.
    [{ minSupport: 0.4, minConfidence: 0.5, ...ALL, minLift: 1.2 }, ['jam ⇒ butter', 'butter ⇒ jam']],
    // confidence ≥ 0.7 keeps jam ⇒ butter (1) only; the others are 2/3.
    [{ minSupport: 0.4, minConfidence: 0.7, ...ALL }, ['jam ⇒ butter']],
    // count ≥ 3 leaves no frequent pair.
    [{ minSupport: 0.4, minConfidence: 0, ...ALL, minCount: 3 }, []],
    // support ≥ 0.2 (count ≥ 1) lets in every pair seen and the triple (count 1). Confidence ≥ 0.9
    // keeps jam ⇒ butter (2/2, lift 5/3) and bread + jam ⇒ butter (1/1, lift 1·5 / (1·3) = 5/3);
    // every other rule is at most 2/3 (jam ⇒ bread 1/2, milk ⇒ bread 1/2, bread + butter ⇒ jam 1/2, …).
    // Equal lift and confidence: ['bread', 'jam'] sorts before ['jam'].
    [{ minSupport: 0.2, minConfidence: 0.9, ...ALL }, ['bread + jam ⇒ butter', 'jam ⇒ butter']],
    // maxRules 1: the strongest only.
    [{ minSupport: 0.4, minConfidence: 0.5, ...ALL, maxRules: 1 }, ['jam ⇒ butter']],
  ])('filters by %o', (options, expected) => {
    const names = mineRules(baskets, options).rules.map((r) => `${r.antecedent.join(' + ')} ⇒ ${r.consequent}`);
    expect(names).toEqual(expected);
  });

  it('keeps support exactly at the threshold where minSupport × baskets rounds up (0.07 × 100 = 7.000000000000001)', () => {
    // 100 baskets, x and y together in 7: support 7/100 = 0.07, confidence 7/7 = 1, lift 7·100 / (7·7) = 100/7.
    const hundred = [...Array.from({ length: 7 }, () => ['x', 'y']), ...Array.from({ length: 93 }, () => ['z'])];
    expect(mineRules(hundred, { minSupport: 0.07, minConfidence: 1, ...ALL }).rules).toEqual([
      { antecedent: ['x'], consequent: 'y', support: 0.07, confidence: 1, lift: 100 / 7, count: 7 },
      { antecedent: ['y'], consequent: 'x', support: 0.07, confidence: 1, lift: 100 / 7, count: 7 },
    ]);
  });

  it('returns no rules for no baskets, or only empty ones', () => {
    expect(mineRules([], { minSupport: 0.01, minConfidence: 0.1 })).toEqual({ baskets: 0, rules: [] });
    expect(mineRules([[], [' ']], { minSupport: 0.01, minConfidence: 0.1 })).toEqual({ baskets: 0, rules: [] });
  });

  it('reads any iterable once, a generator included', () => {
    function* generated() {
      yield* baskets;
    }
    expect(mineRules(generated(), { minSupport: 0.4, minConfidence: 0.5, ...ALL })).toEqual(
      mineRules(baskets, { minSupport: 0.4, minConfidence: 0.5, ...ALL }),
    );
  });
});

describe('MineOptions', () => {
  it('fills in the defaults', () => {
    expect(MineOptions.parse({})).toEqual({
      minSupport: 0.005,
      minConfidence: 0.2,
      maxAntecedent: 2,
      minLift: 1,
      maxRules: 500,
      minCount: 5,
    });
  });

  it.each([
    [{ minSupport: 0 }, 'minSupport'],
    [{ minSupport: 0.0005 }, 'minSupport'],
    [{ minSupport: 1.5 }, 'minSupport'],
    [{ minConfidence: -0.1 }, 'minConfidence'],
    [{ maxAntecedent: 0 }, 'maxAntecedent'],
    [{ maxAntecedent: 5 }, 'maxAntecedent'],
    [{ maxRules: 0 }, 'maxRules'],
    [{ minCount: 0 }, 'minCount'],
  ])('refuses %o with ValidationFailed naming %s', (options, field) => {
    const act = () => mineRules([['a', 'b']], options);
    expect(act).toThrow(ValidationFailed);
    try {
      act();
    } catch (error) {
      expect((error as ValidationFailed).issues.map((i) => i.field)).toEqual([field]);
    }
  });
});

describe('mineRules against the Python brute-force reference (synthetic baskets)', () => {
  // One basket a line, items untrimmed; the file ends with a newline.
  const baskets = readFileSync(resolve(FIXTURES, 'synthetic-baskets.csv'), 'utf8')
    .split('\n')
    .slice(0, -1)
    .map((line) => line.split(','));
  const cases = readReference('synthetic-expected.tsv');

  it('has the cases the reference wrote (300 generated baskets + 3 of noise, 281 non-empty)', () => {
    expect(baskets).toHaveLength(303);
    expect(cases).toHaveLength(5);
  });

  it.each(cases.map((c) => [JSON.stringify(c.options), c] as const))('%s', (_, expected) => {
    // Act
    const result = mineRules(baskets, expected.options);

    // Assess: the same figures to the last bit (both sides divide the same integers once).
    expect(result).toEqual(RuleSet.parse({ baskets: expected.facts.baskets, rules: expected.rules }));
  });
});

describe.skipIf(!existsSync(GROCERIES))('mineRules on the arules Groceries data (../shared/datasets/groceries)', () => {
  const baskets = existsSync(GROCERIES)
    ? readFileSync(GROCERIES, 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => line.split(','))
    : [];
  const reference = readReference('groceries-expected.tsv')[0]!;
  const lantz = { minSupport: 0.006, minConfidence: 0.25, maxAntecedent: 3, ...ALL };
  const result = existsSync(GROCERIES) ? mineRules(baskets, lantz) : { baskets: 0, rules: [] };
  const rule = (antecedent: string[], consequent: string) =>
    result.rules.find((r) => r.consequent === consequent && r.antecedent.join() === antecedent.join());

  it('counts the data set as its README does: 9835 baskets, 169 categories, whole milk in 2513', () => {
    expect(result.baskets).toBe(9835);
    expect(reference.facts).toMatchObject({ baskets: 9835, categories: 169, wholeMilk: 2513 });
    // A rule X ⇒ whole milk has count / support = baskets and lift = confidence / P(whole milk).
    const milk = rule(['butter', 'whipped/sour cream'], 'whole milk')!;
    expect(milk.confidence / milk.lift).toBeCloseTo(2513 / 9835, 12);
  });

  it('matches the published arules summary: 463 rules, 150 / 297 / 16 of 2 / 3 / 4 items', () => {
    const byLength: Record<number, number> = {};
    for (const r of result.rules) byLength[r.antecedent.length + 1] = (byLength[r.antecedent.length + 1] ?? 0) + 1;
    expect(result.rules).toHaveLength(463);
    expect(byLength).toEqual({ 2: 150, 3: 297, 4: 16 });
    expect(reference.facts.byLength).toEqual({ 2: 150, 3: 297, 4: 16 });
    // summary(): support 0.006101 – 0.074835, confidence 0.2500 – 0.6600, lift 0.9932 – 3.9565, count 60 – 736.
    const range = (pick: (r: AssociationRule) => number) => [Math.min(...result.rules.map(pick)), Math.max(...result.rules.map(pick))];
    const [minSupport, maxSupport] = range((r) => r.support);
    expect(minSupport).toBeCloseTo(0.006101, 6);
    expect(maxSupport).toBeCloseTo(0.074835, 6);
    expect(range((r) => r.confidence)).toEqual([0.25, 0.66]);
    const [minLift, maxLift] = range((r) => r.lift);
    expect(minLift).toBeCloseTo(0.9932, 4);
    expect(maxLift).toBeCloseTo(3.9565, 4);
    expect(range((r) => r.count)).toEqual([60, 736]);
  });

  it.each([
    // inspect(): lhs, rhs, support, confidence, lift, count, as printed (7 significant digits).
    [['herbs'], 'root vegetables', 0.00701576, 0.43125, 3.956477, 69],
    [['herbs'], 'other vegetables', 0.007727504, 0.475, 2.454874, 76],
    // Published as {potted plants}: the label this CSV export spells "pot plants".
    [['pot plants'], 'whole milk', 0.006914082, 0.4, 1.56546, 68],
    [['pasta'], 'whole milk', 0.006100661, 0.4054054, 1.586614, 60],
    [['butter', 'whipped/sour cream'], 'whole milk', 0.006710727, 0.66, 2.583008, 66],
    [['butter', 'yogurt'], 'whole milk', 0.009354347, 0.6388889, 2.500387, 92],
  ] as const)('matches the published rule %o ⇒ %s', (antecedent, consequent, support, confidence, lift, count) => {
    const found = rule([...antecedent], consequent);
    expect(found?.count).toBe(count);
    expect(found?.support).toBeCloseTo(support, 9);
    expect(found?.confidence).toBeCloseTo(confidence, 7);
    expect(found?.lift).toBeCloseTo(lift, 6);
  });

  it('puts {herbs} ⇒ {root vegetables} first by lift, as published', () => {
    expect(result.rules[0]).toMatchObject({ antecedent: ['herbs'], consequent: 'root vegetables', count: 69 });
  });

  it('equals the Python brute-force rule list, order included, with three and with two antecedent items', () => {
    expect(reference.options).toEqual(lantz);
    expect(result.rules).toEqual(reference.rules);
    expect(mineRules(baskets, { ...lantz, maxAntecedent: 2 }).rules).toEqual(reference.rules.filter((r) => r.antecedent.length <= 2));
  });

  it('recommends root vegetables to someone who bought herbs, never what they bought', () => {
    // The rules that fire for {herbs}: ⇒ root vegetables (lift 3.96), ⇒ other vegetables (2.45), ⇒ whole milk (1.86).
    expect(recommend(result, ['herbs']).map((r) => [r.item, r.because])).toEqual([
      ['root vegetables', ['herbs']],
      ['other vegetables', ['herbs']],
      ['whole milk', ['herbs']],
    ]);
    expect(recommend(result, ['herbs'], { exclude: ['root vegetables'] }).map((r) => r.item)).toEqual(['other vegetables', 'whole milk']);
  });
});

describe('recommend', () => {
  const rule = (antecedent: string[], consequent: string, lift: number, confidence = 0.5): AssociationRule => ({
    antecedent,
    consequent,
    lift,
    confidence,
    support: 0.01,
    count: 10,
  });
  const rules: RuleSet = {
    baskets: 1000,
    rules: [
      rule(['tent'], 'sleeping bag', 4),
      rule(['stove', 'tent'], 'gas', 6),
      rule(['tent'], 'gas', 2),
      rule(['tent'], 'lamp', 3, 0.4),
      rule(['boots'], 'socks', 3, 0.6),
      rule(['tent'], 'socks', 1.5),
      rule(['tent'], 'mat', 3, 0.4),
    ].sort(compareRules),
  };

  it('suggests the consequents of rules whose whole antecedent was bought, strongest first, three by default', () => {
    // tent fires sleeping bag (4), lamp (3, 0.4), mat (3, 0.4: lamp before mat by name… both have
    // antecedent ['tent'], so the consequent decides), gas (2), socks (1.5); stove + tent needs a stove.
    expect(recommend(rules, ['tent'])).toEqual([
      { item: 'sleeping bag', lift: 4, confidence: 0.5, support: 0.01, because: ['tent'] },
      { item: 'lamp', lift: 3, confidence: 0.4, support: 0.01, because: ['tent'] },
      { item: 'mat', lift: 3, confidence: 0.4, support: 0.01, because: ['tent'] },
    ]);
  });

  it('keeps the strongest rule per item', () => {
    // gas: stove + tent ⇒ gas (6) beats tent ⇒ gas (2); socks: boots ⇒ socks (3) beats tent ⇒ socks (1.5).
    expect(recommend(rules, ['tent', 'stove', 'boots'], { limit: 10 }).map((r) => [r.item, r.lift, r.because])).toEqual([
      ['gas', 6, ['stove', 'tent']],
      ['sleeping bag', 4, ['tent']],
      ['socks', 3, ['boots']],
      ['lamp', 3, ['tent']],
      ['mat', 3, ['tent']],
    ]);
  });

  it('never suggests what was bought or is excluded (the whole purchase history)', () => {
    const items = recommend(rules, ['tent', ' lamp'], { exclude: ['sleeping bag ', 'mat'], limit: 10 }).map((r) => r.item);
    expect(items).toEqual(['gas', 'socks']);
  });

  it.each([
    [0, []],
    [1, ['sleeping bag']],
  ])('stops at limit %d', (limit, expected) => {
    expect(recommend(rules, ['tent'], { limit }).map((r) => r.item)).toEqual(expected);
  });

  it('gives the same answer whatever order the stored rules come in', () => {
    const reversed = { ...rules, rules: [...rules.rules].reverse() };
    expect(recommend(reversed, ['tent', 'stove', 'boots'], { limit: 10 })).toEqual(
      recommend(rules, ['tent', 'stove', 'boots'], { limit: 10 }),
    );
  });

  it('suggests nothing from an empty rule set or an empty purchase', () => {
    expect(recommend({ baskets: 0, rules: [] }, ['tent'])).toEqual([]);
    expect(recommend(rules, [])).toEqual([]);
  });
});

/** Brute force: every subset (up to maxSize items) of every cleaned basket, counted by key. */
function oracleCounts(baskets: readonly (readonly string[])[], maxSize: number) {
  const cleaned = baskets.map((b) => [...new Set(b.map((i) => i.trim()).filter((i) => i !== ''))].sort()).filter((b) => b.length > 0);
  const counts = new Map<string, number>();
  const visit = (basket: string[], from: number, chosen: string[]) => {
    if (chosen.length > 0) counts.set(chosen.join('\u0000'), (counts.get(chosen.join('\u0000')) ?? 0) + 1);
    if (chosen.length === maxSize) return;
    for (let i = from; i < basket.length; i++) visit(basket, i + 1, [...chosen, basket[i]!]);
  };
  for (const b of cleaned) visit(b, 0, []);
  return { n: cleaned.length, count: (items: readonly string[]) => counts.get([...items].sort().join('\u0000')) ?? 0, counts };
}

describe('mineRules and recommend, properties', () => {
  const item = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', ' a', 'b ', '');
  const baskets = fc.array(fc.array(item, { maxLength: 6 }), { maxLength: 60 });
  const options = fc.record({
    minSupport: fc.constantFrom(0.001, 0.02, 0.05, 0.1, 0.25, 0.5),
    minConfidence: fc.constantFrom(0, 0.1, 0.3, 0.5, 0.9, 1),
    maxAntecedent: fc.integer({ min: 1, max: 4 }),
    minLift: fc.constantFrom(0, 0.5, 1, 1.5),
    maxRules: fc.integer({ min: 1, max: 1000 }),
    minCount: fc.integer({ min: 1, max: 4 }),
  });

  it('keeps exactly the rules the brute force finds above every threshold, with its figures', () => {
    fc.assert(
      fc.property(baskets, options, (bs, o) => {
        const result = mineRules(bs, o);
        const oracle = oracleCounts(bs, o.maxAntecedent + 1);
        expect(result.baskets).toBe(oracle.n);
        const expected: AssociationRule[] = [];
        for (const [key, count] of oracle.counts) {
          const items = key.split('\u0000');
          if (items.length < 2 || count / oracle.n < o.minSupport || count < o.minCount) continue;
          for (const consequent of items) {
            const antecedent = items.filter((i) => i !== consequent);
            const confidence = count / oracle.count(antecedent);
            const lift = (count * oracle.n) / (oracle.count(antecedent) * oracle.count([consequent]));
            if (confidence >= o.minConfidence && lift >= o.minLift) {
              expected.push({ antecedent, consequent, support: count / oracle.n, confidence, lift, count });
            }
          }
        }
        expect(result.rules).toEqual(expected.sort(compareRules).slice(0, o.maxRules));
        for (const r of result.rules) {
          expect(r.support).toBeGreaterThanOrEqual(o.minSupport);
          expect(r.confidence).toBeGreaterThanOrEqual(o.minConfidence);
          expect(r.confidence).toBe(r.count / oracle.count(r.antecedent));
          expect(r.antecedent.length).toBeLessThanOrEqual(o.maxAntecedent);
          expect(r.antecedent).not.toContain(r.consequent);
        }
        expect(RuleSet.parse(JSON.parse(JSON.stringify(result)))).toEqual(result);
      }),
      { numRuns: 300 },
    );
  });

  it('recommends only unbought, unexcluded consequents of firing rules, the best first, at most limit', () => {
    const names = fc.constantFrom<string>('a', 'b', 'c', 'd', 'e', 'f');
    fc.assert(
      fc.property(
        baskets,
        fc.array(names, { maxLength: 4 }),
        fc.array(names, { maxLength: 3 }),
        fc.integer({ min: 0, max: 6 }),
        (bs, bought, exclude, limit) => {
          const rules = mineRules(bs, { minSupport: 0.02, minConfidence: 0.1, maxAntecedent: 3, minLift: 0, minCount: 1 });
          const picked = recommend(rules, bought, { exclude, limit });
          const firing = rules.rules.filter(
            (r) => r.antecedent.every((i) => bought.includes(i)) && !bought.includes(r.consequent) && !exclude.includes(r.consequent),
          );
          const bestPerItem = [...new Map([...firing].reverse().map((r) => [r.consequent, r])).values()].sort(compareRules);
          expect(picked.map((p) => [p.item, p.lift, p.confidence, p.because])).toEqual(
            bestPerItem.slice(0, limit).map((r) => [r.consequent, r.lift, r.confidence, r.antecedent]),
          );
          for (const p of picked) expect([...bought, ...exclude]).not.toContain(p.item);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('the stored rule set', () => {
  it('keeps under the item size, dropping the weakest rules first', async () => {
    const { withinItemSize } = await import('../../../shared/services/value-model.ts');
    const long = (i: number) => `${'category with a long descriptive name '.repeat(3)}${i}`;
    const baskets = Array.from({ length: 4000 }, (_, b) => Array.from({ length: 6 }, (_, k) => long((b * 7 + k * 13) % 45)));
    const mined = mineRules(baskets, { minSupport: 0.001, minConfidence: 0.01, maxRules: 100_000 });
    const kept = withinItemSize(mined, 100_000);
    expect(Buffer.byteLength(JSON.stringify(mined))).toBeGreaterThan(100_000);
    expect(Buffer.byteLength(JSON.stringify(kept))).toBeLessThanOrEqual(100_000);
    expect(kept.rules.length).toBeGreaterThan(0);
    expect(kept.rules).toEqual(mined.rules.slice(0, kept.rules.length)); // the strongest, in order
  });
});
