/**
 * Number formats of the report pages. Statistics use fixed decimals (two, as the API's own verdicts
 * do), so a figure reads the same on every machine; money and counts use the browser's locale.
 */
import { money } from '../../components/format.ts';

const DASH = '—';
const isNum = (n: number | null | undefined): n is number => typeof n === 'number' && Number.isFinite(n);

/** A rate 0-1 as a percentage: 0.3469 → "34.69%". */
export const percent = (r: number | null | undefined) => (isNum(r) ? `${(r * 100).toFixed(2)}%` : DASH);
/** A value already in percent (the base report's): 64.14 → "64.14%". */
export const percentOf = (p: number | null | undefined) => (isNum(p) ? `${p.toFixed(2)}%` : DASH);
/** A difference of two rates in percentage points, signed: 0.2717 → "+27.17 pts". */
export const points = (d: number | null | undefined) => (isNum(d) ? `${signed((d * 100).toFixed(2))} pts` : DASH);
/** A signed amount of money: 3.81 → "+3.81". */
export const signedMoney = (n: number | null | undefined) => (isNum(n) ? (n < 0 ? `−${money(-n)}` : `+${money(n)}`) : DASH);
export const moneyOrDash = (n: number | null | undefined) => (isNum(n) ? money(n) : DASH);
export const count = (n: number | null | undefined) => (isNum(n) ? n.toLocaleString() : DASH);
/** A signed count that may be fractional (incremental conversions): 6.7957 → "+6.8". */
export const signedCount = (n: number | null | undefined) => (isNum(n) ? signed(n.toFixed(1)) : DASH);
/** A p-value as the API's verdicts write it. */
export const pValue = (p: number | null | undefined) => (isNum(p) ? (p < 0.0001 ? '< 0.0001' : p.toFixed(4)) : DASH);

/** An interval: "16.32 to 38.01 pts", each bound formatted by `f`. */
export function interval(ci: { low: number; high: number } | null | undefined, f: (n: number) => string): string {
  return ci ? `${f(ci.low)} to ${f(ci.high)}` : DASH;
}

/** Percentage points without the unit (interval bounds): 0.1632 → "+16.32". */
export const pointsValue = (d: number) => signed((d * 100).toFixed(2));
export const moneyValue = (n: number) => (n < 0 ? `−${money(-n)}` : `+${money(n)}`);

function signed(text: string): string {
  if (text.startsWith('-')) return Number(text) === 0 ? text.slice(1) : `−${text.slice(1)}`;
  return Number(text) === 0 ? text : `+${text}`;
}

export const stageLabel = (s: string) => (s === 'at_risk' ? 'at risk' : s === 'won_back' ? 'won back' : s);

/** An axis value: at most two decimals, no trailing zeros, signed when not 0 ("+20", "−2.5"). */
export const short = (n: number) => signed(String(Number(n.toFixed(2))));
