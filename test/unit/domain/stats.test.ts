/**
 * shared/domain/stats.ts against values computed outside it:
 * (a) test/fixtures/stats/reference.json, written once by make-reference.py beside it: scipy's
 *     distribution functions (each checked against mpmath at 60 digits), scipy's Welch test on
 *     raw values, chi-square tests for the pooled z, scipy's Wilson interval, and plain formulas
 *     where scipy has none (Holm, sample size, NPS); the cases are listed in the script;
 * (b) hand-worked cases (arithmetic in the comments);
 * (c) the Hillstrom e-mail experiment, recounted from its CSV when the data set sits beside the
 *     project (../shared/datasets/hillstrom), skipped otherwise;
 * (d) fast-check properties.
 * Tolerances: 1e-8 relative for the distribution functions, 1e-6 for the rest.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Conversions,
  holm,
  type Interval,
  type Moments,
  type NpsCounts,
  normalCdf,
  normalQuantile,
  nps,
  proportion,
  sampleSizeTwoProportions,
  studentTCdf,
  studentTQuantile,
  type TwoProportions,
  twoProportions,
  type WelchResult,
  welch,
} from '../../../shared/domain/stats.ts';

const PROJECT_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
/** test/fixtures/stats/reference.json (layout in make-reference.py). */
interface Reference {
  hillstrom: { groups: { segment: string; n: number; conversions: number; rate: number; spendSum: number; spendSumSquares: number }[] };
  normalCdf: { z: number; expected: number }[];
  normalQuantile: { p: number; expected: number }[];
  studentTCdf: { t: number; df: number; expected: number }[];
  studentTQuantile: { p: number; df: number; expected: number }[];
  twoProportions: {
    name: string;
    treated: Conversions;
    control: Conversions;
    confidence: number;
    expected: Omit<TwoProportions, 'caveat'>;
  }[];
  welch: { name: string; treated: Moments; control: Moments; confidence: number; expected: Omit<WelchResult, 'caveat'> }[];
  holm: { pValues: number[]; alpha: number; expected: { adjusted: number[]; rejected: boolean[] } }[];
  sampleSize: { p0: number; p1: number; alpha: number; power: number; expected: number | null }[];
  nps: { counts: NpsCounts; confidence: number; expected: { n: number; score: number | null; ci: Interval | null; meaningful: boolean } }[];
  proportion: { counts: Conversions; confidence: number; expected: { rate: number; ci: Interval } }[];
}
const REFERENCE: Reference = JSON.parse(readFileSync(resolve(PROJECT_ROOT, 'test/fixtures/stats/reference.json'), 'utf8'));
const HILLSTROM_CSV = resolve(PROJECT_ROOT, '../shared/datasets/hillstrom/hillstrom.csv');

const DIST = 1e-8;
const REST = 1e-6;

/** |actual − expected| within rel of |expected| (plus a hair for values at 0); nulls must match. */
function expectClose(actual: number | null | undefined, expected: number | null, rel: number, what: string): void {
  if (expected === null) {
    expect(actual, what).toBeNull();
    return;
  }
  expect(typeof actual, what).toBe('number');
  if (!Number.isFinite(expected)) {
    expect(actual, what).toBe(expected);
    return;
  }
  const error = Math.abs((actual as number) - expected);
  expect(error, `${what}: got ${actual}, expected ${expected}`).toBeLessThanOrEqual(rel * Math.abs(expected) + 1e-300);
}

function expectInterval(actual: Interval | null, expected: Interval | null, rel: number, what: string): void {
  if (expected === null) {
    expect(actual, what).toBeNull();
    return;
  }
  expect(actual, what).not.toBeNull();
  // Relative to the interval's scale, so that an end near 0 is not held to a relative bound of its own.
  const scale = Math.max(Math.abs(expected.low), Math.abs(expected.high));
  expect(Math.abs(actual!.low - expected.low), `${what} low: got ${actual!.low}, expected ${expected.low}`).toBeLessThanOrEqual(
    rel * scale,
  );
  expect(Math.abs(actual!.high - expected.high), `${what} high: got ${actual!.high}, expected ${expected.high}`).toBeLessThanOrEqual(
    rel * scale,
  );
}

describe('normal distribution', () => {
  it.each(REFERENCE.normalCdf)('normalCdf($z) = $expected (scipy)', ({ z, expected }) => {
    expectClose(normalCdf(z), expected, DIST, `normalCdf(${z})`);
  });

  it.each(REFERENCE.normalQuantile)('normalQuantile($p) = $expected (scipy)', ({ p, expected }) => {
    expectClose(normalQuantile(p), expected, DIST, `normalQuantile(${p})`);
  });

  it('has the textbook values and the edges', () => {
    expect(normalCdf(0)).toBe(0.5);
    expect(normalQuantile(0.5)).toBe(0);
    expectClose(normalQuantile(0.975), 1.959963984540054, 1e-14, 'z 97.5%');
    expectClose(normalCdf(1.959963984540054), 0.975, 1e-14, 'Φ(1.96)');
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
    expect(normalQuantile(1.5)).toBeNaN();
    expect(normalCdf(Number.NaN)).toBeNaN();
    expect(normalCdf(-50)).toBe(0);
    expect(normalCdf(50)).toBe(1);
  });
});

describe("Student's t distribution", () => {
  it.each(REFERENCE.studentTCdf)('studentTCdf($t, df $df) = $expected (scipy)', ({ t, df, expected }) => {
    expectClose(studentTCdf(t, df), expected, DIST, `studentTCdf(${t}, ${df})`);
  });

  it.each(REFERENCE.studentTQuantile)('studentTQuantile($p, df $df) = $expected (scipy)', ({ p, df, expected }) => {
    expectClose(studentTQuantile(p, df), expected, DIST, `studentTQuantile(${p}, ${df})`);
  });

  it('matches the closed forms for 1 and 2 degrees of freedom', () => {
    // df = 1 (Cauchy): F(t) = ½ + atan(t)/π, so F(1) = ¾ and the 97.5% point is tan(0.475π).
    expectClose(studentTCdf(1, 1), 0.75, 1e-14, 'F(1; 1)');
    expectClose(studentTQuantile(0.975, 1), Math.tan(0.475 * Math.PI), 1e-12, 't(97.5%; 1)');
    expectClose(studentTQuantile(1e-10, 1), -1 / Math.tan(1e-10 * Math.PI), 1e-12, 't(1e-10; 1)');
    // df = 2: F(t) = ½ + t/(2√(2 + t²)); the 97.5% point is 0.95/√(2·0.975·0.025) = 4.30265….
    expectClose(studentTCdf(2, 2), 0.5 + 2 / (2 * Math.sqrt(6)), 1e-14, 'F(2; 2)');
    expectClose(studentTQuantile(0.975, 2), 0.95 / Math.sqrt(2 * 0.975 * 0.025), 1e-12, 't(97.5%; 2)');
  });

  it('approaches the normal as df grows, and is the normal at Infinity', () => {
    for (const x of [-8, -3, -1.96, -0.5, 0.25, 1, 2.5]) {
      expectClose(studentTCdf(x, 1e15), normalCdf(x), 1e-12, `F(${x}; 1e15)`);
      expect(studentTCdf(x, Number.POSITIVE_INFINITY)).toBe(normalCdf(x));
    }
    for (const p of [1e-10, 0.025, 0.3, 0.975]) expectClose(studentTQuantile(p, 1e15), normalQuantile(p), 1e-12, `t(${p}; 1e15)`);
    // And the 97.5% points shrink towards 1.95996… from above.
    const points = [10, 100, 1000, 1e4, 1e6].map((df) => studentTQuantile(0.975, df));
    for (let i = 1; i < points.length; i++) expect(points[i]!).toBeLessThan(points[i - 1]!);
    expect(points.at(-1)! - 1.959963984540054).toBeLessThan(1e-5);
  });

  it('rejects degrees of freedom that are not positive', () => {
    expect(() => studentTCdf(1, 0)).toThrow(RangeError);
    expect(() => studentTQuantile(0.5, -2)).toThrow(RangeError);
    expect(() => studentTCdf(1, Number.NaN)).toThrow(RangeError);
    expect(studentTQuantile(0, 5)).toBe(Number.NEGATIVE_INFINITY);
    expect(studentTQuantile(1, 5)).toBe(Number.POSITIVE_INFINITY);
    expect(studentTQuantile(0.5, 5)).toBe(0);
  });
});

describe('twoProportions', () => {
  it.each(REFERENCE.twoProportions)('$name (scipy)', (c) => {
    const got = twoProportions(c.treated, c.control, c.confidence);
    const e = c.expected;
    for (const key of ['rateTreated', 'rateControl', 'difference', 'relative', 'z', 'pValue'] as const)
      expectClose(got[key], e[key], REST, key);
    expectInterval(got.ci, e.ci, REST, 'ci');
    expectInterval(got.relativeCi, e.relativeCi, REST, 'relativeCi');
    expect(got.meaningful).toBe(e.meaningful);
    expect(got.caveat === undefined).toBe(e.meaningful);
  });

  it('says why a holdout with 3 conversions gives no meaningful interval, but still computes one', () => {
    const r = twoProportions({ n: 1000, x: 40 }, { n: 100, x: 3 });
    expect(r.meaningful).toBe(false);
    expect(r.caveat).toBe(
      'too few conversions (3 in the holdout) for a normal-approximation interval; need at least 5 conversions and 5 non-conversions per group',
    );
    expect(r.ci).not.toBeNull();
    expect(r.pValue).not.toBeNull();
  });

  it('zero conversions in both groups: rates 0, no interval, no p-value', () => {
    const r = twoProportions({ n: 1000, x: 0 }, { n: 1000, x: 0 });
    expect(r).toMatchObject({
      rateTreated: 0,
      rateControl: 0,
      difference: 0,
      relative: null,
      ci: null,
      relativeCi: null,
      z: null,
      pValue: null,
    });
    expect(r.meaningful).toBe(false);
    expect(r.caveat).toMatch(/no recipient converted in either group/);
  });

  it('every recipient converted in both groups: no interval, no p-value', () => {
    const r = twoProportions({ n: 50, x: 50 }, { n: 60, x: 60 });
    expect(r).toMatchObject({ difference: 0, ci: null, pValue: null, meaningful: false });
    expect(r.caveat).toMatch(/every recipient converted in both groups/);
  });

  it('an empty group: the other rate only, and the caveat names the empty group', () => {
    const r = twoProportions({ n: 0, x: 0 }, { n: 200, x: 10 });
    expect(r).toMatchObject({ rateTreated: null, rateControl: 0.05, difference: null, ci: null, pValue: null, meaningful: false });
    expect(r.caveat).toBe('no recipients in the treated group');
    expect(twoProportions({ n: 0, x: 0 }, { n: 0, x: 0 }).caveat).toBe('no recipients in the treated group or the holdout');
  });

  it('a treated group of one: computed, not meaningful, and says so', () => {
    const r = twoProportions({ n: 1, x: 1 }, { n: 100, x: 10 });
    expect(r.ci).not.toBeNull();
    expect(r.meaningful).toBe(false);
    expect(r.caveat).toMatch(/too few recipients \(1 in the treated group\); need at least 30 per group/);
    expect(r.caveat).toMatch(/too few non-conversions \(0 in the treated group\)/);
  });

  it('all converted against none: a z test but no interval (each group has no spread)', () => {
    const r = twoProportions({ n: 50, x: 50 }, { n: 50, x: 0 });
    // Pooled rate ½: z = 1/√(¼·(1/50 + 1/50)) = 1/√0.01 = 10.
    expectClose(r.z, 10, 1e-12, 'z');
    expect(r.ci).toBeNull();
    expect(r.caveat).toMatch(/the interval has no width/);
  });

  it('identical groups: difference 0, z 0, p-value 1', () => {
    const r = twoProportions({ n: 5000, x: 150 }, { n: 5000, x: 150 });
    expect(r).toMatchObject({ difference: 0, relative: 0, z: 0, pValue: 1, meaningful: true });
    expect(r.ci!.low).toBeCloseTo(-r.ci!.high, 15);
  });

  it('works a typical campaign by hand', () => {
    // 3% of 21,000 against 2.5% of 21,000: difference 0.005; unpooled se = √(0.03·0.97/21000 + 0.025·0.975/21000)
    // = √(1.38571e-6 + 1.16071e-6) = 1.59576e-3, so the 95% interval is 0.005 ± 1.959964·1.59576e-3 = 0.005 ± 0.0031277.
    const r = twoProportions({ n: 21000, x: 630 }, { n: 21000, x: 525 });
    expectClose(r.difference, 0.005, 1e-12, 'difference');
    expectClose(r.ci!.high - 0.005, 0.0031277, 1e-4, 'half width');
    expectClose(r.relative, 0.2, 1e-12, 'relative');
  });

  it('rejects impossible counts and confidences', () => {
    expect(() => twoProportions({ n: 10, x: 11 }, { n: 10, x: 1 })).toThrow(RangeError);
    expect(() => twoProportions({ n: -1, x: 0 }, { n: 10, x: 1 })).toThrow(RangeError);
    expect(() => twoProportions({ n: 10.5, x: 1 }, { n: 10, x: 1 })).toThrow(RangeError);
    expect(() => twoProportions({ n: 10, x: 1 }, { n: 10, x: 1 }, 1)).toThrow(RangeError);
  });
});

describe('welch', () => {
  it.each(REFERENCE.welch)('$name (scipy)', (c) => {
    const got = welch(c.treated, c.control, c.confidence);
    const e = c.expected;
    for (const key of ['meanTreated', 'meanControl', 'difference', 't', 'df', 'pValue'] as const) expectClose(got[key], e[key], REST, key);
    expectInterval(got.ci, e.ci, REST, 'ci');
    expect(got.meaningful).toBe(e.meaningful);
  });

  it('a group of one: means, but no variance, and says why', () => {
    const r = welch({ n: 1, sum: 25, sumSquares: 625 }, { n: 50, sum: 1000, sumSquares: 21250 });
    expect(r).toMatchObject({
      meanTreated: 25,
      meanControl: 20,
      difference: 5,
      ci: null,
      t: null,
      df: null,
      pValue: null,
      meaningful: false,
    });
    expect(r.caveat).toBe('too few recipients (1 in the treated group); a variance needs at least 2 per group');
  });

  it('no spread in either group: no interval, and says why', () => {
    // Forty 7.5s: Σx² − (Σx)²/n is 0 up to rounding; it must count as 0, not as a tiny variance.
    const r = welch({ n: 40, sum: 300, sumSquares: 2250 }, { n: 30, sum: 225, sumSquares: 1687.5 });
    expect(r).toMatchObject({ difference: 0, ci: null, t: null, pValue: null, meaningful: false });
    expect(r.caveat).toMatch(/no spread/);
    const rounded = welch({ n: 3, sum: 0.3, sumSquares: 0.030000000000000006 }, { n: 3, sum: 0.3, sumSquares: 0.03 });
    expect(rounded.meaningful).toBe(false);
  });

  it('one group without spread: df is the other group’s n − 1', () => {
    // Treated 2, 4, 6 (mean 4, s² 4), holdout all 0: se² = 4/3, t = 4/√(4/3) = √12, df = 2.
    const r = welch({ n: 3, sum: 12, sumSquares: 56 }, { n: 10, sum: 0, sumSquares: 0 });
    expectClose(r.df, 2, 1e-12, 'df');
    expectClose(r.t, Math.sqrt(12), 1e-12, 't');
    // Two-sided p of t = √12 on 2 df: 1 − √12/√(2 + 12) = 1 − √(6/7) (from F(t) = ½ + t/(2√(2 + t²))).
    expectClose(r.pValue, 1 - Math.sqrt(6 / 7), 1e-10, 'p');
    expect(r.caveat).toMatch(/few recipients \(3 in the treated group, 10 in the holdout\)/);
    expect(r.meaningful).toBe(true);
  });

  it('identical groups: t 0, p-value 1', () => {
    const g = { n: 60, sum: 350, sumSquares: 5250 };
    expect(welch(g, g)).toMatchObject({ difference: 0, t: 0, pValue: 1, meaningful: true });
  });

  it('rejects sums that cannot come from one group', () => {
    expect(() => welch({ n: 2, sum: 10, sumSquares: 1 }, { n: 2, sum: 1, sumSquares: 1 })).toThrow(RangeError);
    expect(() => welch({ n: 2, sum: Number.NaN, sumSquares: 1 }, { n: 2, sum: 1, sumSquares: 1 })).toThrow(RangeError);
  });
});

describe('holm', () => {
  it.each(REFERENCE.holm)('$pValues at $alpha (Python)', (c) => {
    const got = holm(c.pValues, c.alpha);
    for (const [i, p] of got.adjusted.entries()) expectClose(p, c.expected.adjusted[i]!, REST, `adjusted[${i}]`);
    expect(got.rejected).toEqual(c.expected.rejected);
  });

  it('works a case by hand', () => {
    // Sorted: 0.005 (×4 = 0.02), 0.01 (×3 = 0.03), 0.03 (×2 = 0.06), 0.04 (×1 = 0.04 → 0.06, kept monotone).
    // At 0.05 the first two are rejected; the step-down stops at 0.03 > 0.05/2.
    const r = holm([0.01, 0.04, 0.03, 0.005]);
    for (const [i, p] of r.adjusted.entries()) expectClose(p, [0.03, 0.06, 0.06, 0.02][i]!, 1e-12, `adjusted[${i}]`);
    expect(r.rejected).toEqual([true, false, false, true]);
    expect(holm([])).toEqual({ adjusted: [], rejected: [] });
    expect(holm([0.6, 0.7]).adjusted).toEqual([1, 1]);
  });

  it('rejects p-values outside [0, 1]', () => {
    expect(() => holm([0.5, 1.2])).toThrow(RangeError);
    expect(() => holm([Number.NaN])).toThrow(RangeError);
  });
});

describe('sampleSizeTwoProportions', () => {
  it.each(REFERENCE.sampleSize)(
    '$p0 → $p1 at alpha $alpha, power $power: $expected per group (scipy)',
    ({ p0, p1, alpha, power, expected }) => {
      expect(sampleSizeTwoProportions(p0, p1, { alpha, power })).toBe(expected);
    },
  );

  it('works 10% → 20% by hand', () => {
    // p̄ = 0.15: 1.959964·√(2·0.15·0.85) = 1.959964·0.504975 = 0.989733; 0.841621·√(0.09 + 0.16) = 0.420811;
    // (1.410544)² / 0.01 = 198.96 → 199 per group (the figure usually quoted for this example).
    expect(sampleSizeTwoProportions(0.1, 0.2)).toBe(199);
    expect(sampleSizeTwoProportions(0.2, 0.1)).toBe(199);
    expect(sampleSizeTwoProportions(0.1, 0.1)).toBeNull();
    expect(sampleSizeTwoProportions(0, 0.1)).toBeNull();
  });
});

describe('nps', () => {
  it.each(REFERENCE.nps)('$counts at $confidence (numpy)', (c) => {
    const got = nps(c.counts, c.confidence);
    expect(got.n).toBe(c.expected.n);
    expectClose(got.score, c.expected.score, REST, 'score');
    expectInterval(got.ci, c.expected.ci, REST, 'ci');
    expect(got.meaningful).toBe(c.expected.meaningful);
  });

  it('works a survey by hand, and flags small or one-sided ones', () => {
    // 40 promoters, 30 passives, 30 detractors: score 10; variance 0.4 + 0.3 − 0.1² = 0.69, se = 100·√(0.69/100) = 8.3066.
    const r = nps({ promoters: 40, passives: 30, detractors: 30 });
    expect(r.score).toBe(10);
    expectClose(r.ci!.high - 10, 1.959964 * 8.306624, 1e-6, 'half width');
    expect(nps({ promoters: 10, passives: 5, detractors: 3 }).caveat).toMatch(/only 18 answers/);
    expect(nps({ promoters: 0, passives: 0, detractors: 0 })).toMatchObject({ n: 0, score: null, ci: null, caveat: 'no answers yet' });
    expect(nps({ promoters: 31, passives: 0, detractors: 0 })).toMatchObject({ score: 100, ci: null, meaningful: false });
  });
});

describe('proportion (Wilson)', () => {
  it.each(REFERENCE.proportion)('$counts at $confidence (scipy)', (c) => {
    const got = proportion(c.counts, c.confidence);
    expectClose(got.rate, c.expected.rate, REST, 'rate');
    expectInterval(got.ci, c.expected.ci, REST, 'ci');
  });

  it('stays inside [0, 1], exactly at the edges', () => {
    expect(proportion({ n: 10, x: 0 }).ci!.low).toBe(0);
    expect(proportion({ n: 10, x: 10 }).ci!.high).toBe(1);
    expect(proportion({ n: 0, x: 0 })).toEqual({ rate: null, ci: null });
  });
});

describe('the Hillstrom e-mail experiment', () => {
  const group = (segment: string) => REFERENCE.hillstrom.groups.find((g) => g.segment === segment)!;
  const mens = group('Mens E-Mail');
  const womens = group('Womens E-Mail');
  const none = group('No E-Mail');

  it('has the published group sizes', () => {
    expect([mens.n, womens.n, none.n]).toEqual([21307, 21387, 21306]);
    expect([mens.conversions, womens.conversions, none.conversions]).toEqual([267, 189, 122]);
  });

  it('the men’s e-mail lifts conversion and spend per recipient over no e-mail', () => {
    const conversion = twoProportions({ n: mens.n, x: mens.conversions }, { n: none.n, x: none.conversions });
    expect(conversion.meaningful).toBe(true);
    expect(conversion.ci!.low).toBeGreaterThan(0);
    const spend = welch(
      { n: mens.n, sum: mens.spendSum, sumSquares: mens.spendSumSquares },
      { n: none.n, sum: none.spendSum, sumSquares: none.spendSumSquares },
    );
    expect(spend.pValue!).toBeLessThan(1e-6);
    // Both e-mails against no e-mail, corrected together: both still significant.
    const women = twoProportions({ n: womens.n, x: womens.conversions }, { n: none.n, x: none.conversions });
    expect(holm([conversion.pValue!, women.pValue!]).rejected).toEqual([true, true]);
  });

  it.skipIf(!existsSync(HILLSTROM_CSV))('recounts the groups from the CSV', () => {
    const rows: Record<string, string>[] = parse(readFileSync(HILLSTROM_CSV, 'utf8'), { columns: true });
    const counted: Record<string, { n: number; conversions: number; spend: number[] }> = {};
    for (const row of rows) {
      counted[row.segment!] ??= { n: 0, conversions: 0, spend: [] };
      const g = counted[row.segment!]!;
      g.n += 1;
      g.conversions += Number(row.conversion);
      g.spend.push(Number(row.spend));
    }
    for (const g of REFERENCE.hillstrom.groups) {
      const c = counted[g.segment]!;
      expect([c.n, c.conversions]).toEqual([g.n, g.conversions]);
      expectClose(
        c.spend.reduce((s, v) => s + v, 0),
        g.spendSum,
        1e-12,
        'spend sum',
      );
      expectClose(
        c.spend.reduce((s, v) => s + v * v, 0),
        g.spendSumSquares,
        1e-12,
        'spend sum of squares',
      );
    }
  });
});

describe('properties', () => {
  const group = fc.integer({ min: 1, max: 200_000 }).chain((n) => fc.record({ n: fc.constant(n), x: fc.integer({ min: 0, max: n }) }));

  it('every interval contains its point estimate', () => {
    fc.assert(
      fc.property(group, group, fc.constantFrom(0.8, 0.9, 0.95, 0.99), (treated, control, confidence) => {
        const r = twoProportions(treated, control, confidence);
        if (r.ci) expect(r.ci.low <= r.difference! && r.difference! <= r.ci.high).toBe(true);
        const w = proportion(treated, confidence);
        expect(w.ci!.low <= w.rate! && w.rate! <= w.ci!.high).toBe(true);
      }),
    );
    const values = fc.array(fc.double({ min: 0, max: 1000, noNaN: true }), { minLength: 2, maxLength: 60 });
    fc.assert(
      fc.property(values, values, (a, b) => {
        const m = (v: number[]) => ({ n: v.length, sum: v.reduce((s, x) => s + x, 0), sumSquares: v.reduce((s, x) => s + x * x, 0) });
        const r = welch(m(a), m(b));
        if (r.ci) expect(r.ci.low <= r.difference! && r.difference! <= r.ci.high).toBe(true);
      }),
    );
    const count = fc.integer({ min: 0, max: 500 });
    fc.assert(
      fc.property(count, count, count, (promoters, passives, detractors) => {
        const r = nps({ promoters, passives, detractors });
        if (r.ci) expect(r.ci.low <= r.score! && r.score! <= r.ci.high).toBe(true);
      }),
    );
  });

  it('Holm: adjusted ≥ raw, at most 1, monotone in the raw order, rejected exactly when adjusted ≤ alpha', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 30 }), (ps) => {
        const { adjusted, rejected } = holm(ps);
        for (const [i, p] of ps.entries()) {
          expect(adjusted[i]!).toBeGreaterThanOrEqual(p);
          expect(adjusted[i]!).toBeLessThanOrEqual(1);
          expect(rejected[i]).toBe(adjusted[i]! <= 0.05);
          for (const [j, q] of ps.entries()) if (p <= q) expect(adjusted[i]!).toBeLessThanOrEqual(adjusted[j]!);
        }
      }),
    );
  });

  it('normalQuantile(normalCdf(z)) ≈ z', () => {
    fc.assert(
      fc.property(fc.double({ min: -37, max: 3, noNaN: true }), (z) => {
        expect(Math.abs(normalQuantile(normalCdf(z)) - z)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(z)));
      }),
    );
  });

  it('studentTQuantile(studentTCdf(t, df), df) ≈ t, and the t distribution is symmetric', () => {
    fc.assert(
      fc.property(fc.double({ min: -30, max: 0, noNaN: true }), fc.double({ min: 0.5, max: 1e7, noNaN: true }), (t, df) => {
        const p = studentTCdf(t, df);
        expect(Math.abs(studentTQuantile(p, df) - t)).toBeLessThanOrEqual(1e-8 * Math.abs(t) + 1e-12);
        expect(Math.abs(studentTCdf(-t, df) - (1 - p))).toBeLessThanOrEqual(1e-15);
      }),
    );
  });
});
