/**
 * `npm run demo` on the local stack, on 600 of Hillstrom's 64,000 customers (../shared/datasets,
 * skipped without it): through the public API only, the report's groups must be exactly the
 * experiment's groups, with the conversions and spend the CSV records for the same rows, and a
 * second run must change nothing.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runDemo } from '../../scripts/lib/demo-run.ts';
import { DEFAULT_HILLSTROM_FILE, readHillstrom, sampleRows } from '../../scripts/lib/hillstrom.ts';
import { usePlatform } from '../helpers/platform.ts';

const t = usePlatform();
const SIZE = 600;

describe.skipIf(!existsSync(DEFAULT_HILLSTROM_FILE))('npm run demo on Hillstrom (../shared/datasets/hillstrom)', () => {
  it('replays both arms against the same No E-Mail holdout: the report equals the figures of the same CSV rows', async () => {
    const rows = readHillstrom(DEFAULT_HILLSTROM_FILE);
    const target = { apiUrl: t.platform.apiUrl, token: t.platform.token };
    const result = await runDemo({ target, rows, sampleSize: SIZE });

    // The figures straight from the CSV, computed here.
    const sample = sampleRows(rows, SIZE);
    expect(sample).toHaveLength(SIZE);
    expect(new Set(sample.map((r) => r.row)).size).toBe(SIZE);
    const group = (segment: string) => {
      const members = sample.filter((r) => r.segment === segment);
      return {
        assigned: members.length,
        converters: members.filter((r) => r.conversion).length,
        revenue: members.reduce((s, r) => s + r.spend, 0),
      };
    };
    const control = group('No E-Mail');
    expect(result.arms.map((a) => a.segment)).toEqual(['Mens E-Mail', 'Womens E-Mail']);
    for (const arm of result.arms) {
      const treated = group(arm.segment);
      const [variant, holdout] = [arm.report.groups.find((g) => g.kind === 'variant'), arm.report.groups.find((g) => g.kind === 'holdout')];
      expect(arm.report.groups).toHaveLength(2);
      expect(variant).toMatchObject({ assigned: treated.assigned, sent: treated.assigned, converters: treated.converters });
      expect(holdout).toMatchObject({ assigned: control.assigned, sent: 0, converters: control.converters });
      expect(variant?.revenue).toBeCloseTo(treated.revenue, 6);
      expect(holdout?.revenue).toBeCloseTo(control.revenue, 6);
      const p1 = treated.converters / treated.assigned;
      const p0 = control.converters / control.assigned;
      expect(arm.report.uplift[0]?.conversion.difference).toBeCloseTo(p1 - p0, 12);
      expect(arm.report.attributionDays).toBe(14);
      expect(arm.mismatches).toEqual([]);
    }

    // A second run finds everything by name and posts only duplicates: the same figures.
    const again = await runDemo({ target, rows, sampleSize: SIZE });
    expect(again.arms.map((a) => a.campaignId)).toEqual(result.arms.map((a) => a.campaignId));
    for (const [i, arm] of again.arms.entries()) expect(arm.report.groups).toEqual(result.arms[i]?.report.groups);
    const lists = (await t.api('GET', '/lists?limit=500')).body.items.filter((l: { name: string }) => l.name.startsWith('Hillstrom ('));
    expect(lists.map((l: { memberCount: number }) => l.memberCount).reduce((a: number, b: number) => a + b, 0)).toBe(SIZE);

    // Another sample in the same workspace is refused (its purchases would predate the campaigns).
    await expect(runDemo({ target, rows, sampleSize: 300 })).rejects.toThrow(/another sample/);
  }, 60_000);
});
