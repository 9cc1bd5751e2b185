/**
 * Kevin Hillstrom's MineThatData e-mail experiment (2008), read for `npm run demo`: 64,000
 * customers randomised into Mens E-Mail, Womens E-Mail and No E-Mail, with whether each bought in
 * the two weeks after and how much (../shared/datasets/hillstrom/README.md). Pure apart from
 * reading the file: a deterministic sample of rows, and the experiment's figures computed straight
 * from those rows, for the demo to print next to Herald's report.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';

export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Where the data set lives: beside the project, never copied into it. */
export const DEFAULT_HILLSTROM_FILE = resolve(PROJECT_ROOT, '../shared/datasets/hillstrom/hillstrom.csv');

export const SEGMENTS = ['Mens E-Mail', 'Womens E-Mail', 'No E-Mail'] as const;
export type Segment = (typeof SEGMENTS)[number];
export const CONTROL: Segment = 'No E-Mail';

export interface HillstromRow {
  /** 1-based data row (the header is not counted): the customer's stable id in the demo. */
  row: number;
  recency: number;
  historySegment: string;
  history: number;
  mens: boolean;
  womens: boolean;
  zipCode: string;
  newbie: boolean;
  channel: string;
  segment: Segment;
  visit: boolean;
  conversion: boolean;
  spend: number;
}

const COLUMNS = [
  'recency',
  'history_segment',
  'history',
  'mens',
  'womens',
  'zip_code',
  'newbie',
  'channel',
  'segment',
  'visit',
  'conversion',
  'spend',
] as const;

/** Reads every row (quoted fields with commas, CRLF), checking the columns and each value it relies on. */
export function readHillstrom(file: string): HillstromRow[] {
  if (!existsSync(file)) throw new Error(`The Hillstrom data set is not at ${file}`);
  const records = parse(readFileSync(file), { columns: true, skip_empty_lines: true, bom: true }) as Record<string, string>[];
  const header = Object.keys(records[0] ?? {});
  const missing = COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0) throw new Error(`${file} is not the Hillstrom file: no column ${missing.join(', ')}`);
  return records.map((r, i) => {
    const row = i + 1;
    const flag = (c: (typeof COLUMNS)[number]) => {
      if (r[c] !== '0' && r[c] !== '1') throw new Error(`${file}, data row ${row}: ${c} is "${r[c]}", not 0 or 1`);
      return r[c] === '1';
    };
    const number = (c: (typeof COLUMNS)[number]) => {
      const n = Number(r[c]);
      if (r[c] === '' || !Number.isFinite(n)) throw new Error(`${file}, data row ${row}: ${c} is "${r[c]}", not a number`);
      return n;
    };
    const segment = r.segment as Segment;
    if (!SEGMENTS.includes(segment)) throw new Error(`${file}, data row ${row}: unknown segment "${r.segment}"`);
    return {
      row,
      recency: number('recency'),
      historySegment: r.history_segment ?? '',
      history: number('history'),
      mens: flag('mens'),
      womens: flag('womens'),
      zipCode: r.zip_code ?? '',
      newbie: flag('newbie'),
      channel: r.channel ?? '',
      segment,
      visit: flag('visit'),
      conversion: flag('conversion'),
      spend: number('spend'),
    };
  });
}

/**
 * `size` rows spread evenly over the file (row ⌊k·total/size⌋ + 1 for k = 0…size−1): every 4th row
 * for 16,000 of 64,000. The randomisation was per customer, so any fixed pattern of rows is a
 * random sample of each group.
 */
export function sampleRows<T>(rows: readonly T[], size: number): T[] {
  if (size >= rows.length) return [...rows];
  return Array.from({ length: size }, (_, k) => rows[Math.floor((k * rows.length) / size)] as T);
}

/** The purchase's category. The data says only which lines the customer bought in the past year, not what they bought in the two weeks. */
export const categoryOf = (r: Pick<HillstromRow, 'mens' | 'womens'>) =>
  r.mens && r.womens ? 'mens-and-womens' : r.mens ? 'mens' : 'womens';

export interface GroupResult {
  segment: Segment;
  n: number;
  conversions: number;
  rate: number;
  spend: number;
}

export interface ArmResult extends GroupResult {
  /** The arm's rate minus No E-Mail's, with the unpooled 95% normal interval. */
  difference: number;
  ci: { low: number; high: number };
}

const Z95 = 1.959963984540054;

/** The experiment's figures, straight from the rows: per group n, conversions, rate and spend; each arm against No E-Mail. */
export function experimentFigures(rows: readonly HillstromRow[]): { groups: Record<Segment, GroupResult>; arms: ArmResult[] } {
  const groups = Object.fromEntries(
    SEGMENTS.map((segment) => {
      const members = rows.filter((r) => r.segment === segment);
      const conversions = members.filter((r) => r.conversion).length;
      const spend = Math.round(members.reduce((s, r) => s + r.spend, 0) * 100) / 100;
      return [segment, { segment, n: members.length, conversions, rate: members.length > 0 ? conversions / members.length : 0, spend }];
    }),
  ) as Record<Segment, GroupResult>;
  const control = groups[CONTROL];
  const arms = SEGMENTS.filter((s) => s !== CONTROL).map((segment) => {
    const g = groups[segment];
    const difference = g.rate - control.rate;
    const se = Math.sqrt((g.rate * (1 - g.rate)) / g.n + (control.rate * (1 - control.rate)) / control.n);
    return { ...g, difference, ci: { low: difference - Z95 * se, high: difference + Z95 * se } };
  });
  return { groups, arms };
}
