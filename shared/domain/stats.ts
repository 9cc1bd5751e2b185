/**
 * The statistics of a campaign evaluation, as pure functions: the normal and Student t
 * distributions, the difference of two conversion rates (treated against holdout), the
 * difference of two means (Welch), Holm's correction for several comparisons, the sample size
 * for a two-proportion test, the NPS with its interval and the Wilson interval of one rate.
 *
 * Every interval is two-sided at `confidence` (0.95 by default). The results say whether they
 * are `meaningful` and, when not, a `caveat` in plain words; counts that are not whole numbers,
 * negative, or more conversions than recipients are programming errors (RangeError).
 *
 * Checked against scipy in test/unit/stats.test.ts (reference values made by
 * test/fixtures/stats/make-reference.py).
 */

export interface Interval {
  low: number;
  high: number;
}

// ---------------------------------------------------------------------------------------------
// Normal distribution

const LN_SQRT_2PI = 0.9189385332046728; // ln √(2π)
const INV_SQRT_2PI = 0.3989422804014327; // 1/√(2π)

// W. J. Cody, "Rational Chebyshev approximations for the error function" (Math. Comp. 1969), in
// the form used by R's pnorm: three ranges of |z|, each a rational function, with the Gaussian
// factor split in two so that the far tails keep full relative precision. (Coefficients as
// published, written as the nearest doubles.)
const CODY_A = [2.2352520354606837, 161.02823106855587, 1067.6894854603709, 18154.98125334356, 0.06568233791820745];
const CODY_B = [47.202581904688245, 976.0985517377767, 10260.932208618979, 45507.78933502673];
const CODY_C = [
  0.39894151208813466, 8.883149794388377, 93.50665613217785, 597.2702763948002, 2494.5375852903726, 6848.190450536283, 11602.65143764735,
  9842.714838383978, 1.0765576773720192e-8,
];
const CODY_D = [
  22.266688044328117, 235.387901782625, 1519.3775994075547, 6485.558298266761, 18615.571640885097, 34900.95272114598, 38912.00328609327,
  19685.429676859992,
];
const CODY_P = [
  0.215898534057957, 0.12740116116024736, 0.022235277870649807, 0.0014216191932278934, 0.000029112874951168793, 0.023073441764940174,
];
const CODY_Q = [1.284260096144911, 0.4682382124808651, 0.06598813786892856, 0.0037823963320275824, 0.00007297515550839662];

/** P(Z ≤ −y)·exp(y²/2) for y > 0.67448975: Cody's rational functions, before the Gaussian factor. */
function normalTailRatio(y: number): number {
  if (y <= Math.sqrt(32)) {
    let num = CODY_C[8]! * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + CODY_C[i]!) * y;
      den = (den + CODY_D[i]!) * y;
    }
    return (num + CODY_C[7]!) / (den + CODY_D[7]!);
  }
  const s = 1 / (y * y);
  let num = CODY_P[5]! * s;
  let den = s;
  for (let i = 0; i < 4; i++) {
    num = (num + CODY_P[i]!) * s;
    den = (den + CODY_Q[i]!) * s;
  }
  return (INV_SQRT_2PI - (s * (num + CODY_P[4]!)) / (den + CODY_Q[4]!)) / y;
}

/** P(Z ≤ −|z|) for a standard normal Z, to full relative precision however far out. */
function normalTail(z: number): number {
  const y = Math.abs(z);
  if (y <= 0.67448975) {
    const s = y * y;
    let num = CODY_A[4]! * s;
    let den = s;
    for (let i = 0; i < 3; i++) {
      num = (num + CODY_A[i]!) * s;
      den = (den + CODY_B[i]!) * s;
    }
    return 0.5 - (y * (num + CODY_A[3]!)) / (den + CODY_B[3]!);
  }
  if (y > 40) return 0; // below the smallest double
  // exp(−y²/2) as exp(−h²/2)·exp(−(y−h)(y+h)/2), h = y rounded down to 1/16: no rounding error in h².
  const h = Math.trunc(y * 16) / 16;
  return Math.exp(-h * h * 0.5) * Math.exp(-(y - h) * (y + h) * 0.5) * normalTailRatio(y);
}

/** P(Z ≤ −y)·exp(y²/2) for y ≥ 0, without underflow however large y is. */
function normalTailScaled(y: number): number {
  return y <= 0.67448975 ? normalTail(y) * Math.exp(0.5 * y * y) : normalTailRatio(y);
}

/** Φ(z) = P(Z ≤ z) for a standard normal Z. */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  return z <= 0 ? normalTail(z) : 1 - normalTail(z);
}

// M. J. Wichura, "Algorithm AS 241: The percentage points of the normal distribution" (Applied
// Statistics 37, 1988), PPND16: relative accuracy about 1e-16. (Coefficients as published,
// written as the nearest doubles.)
const AS241_A = [
  3.3871328727963665, 133.14166789178438, 1971.5909503065513, 13731.69376550946, 45921.95393154987, 67265.7709270087, 33430.57558358813,
  2509.0809287301227,
];
const AS241_B = [
  1, 42.31333070160091, 687.1870074920579, 5394.196021424751, 21213.794301586597, 39307.89580009271, 28729.085735721943, 5226.495278852854,
];
const AS241_C = [
  1.4234371107496835, 4.630337846156546, 5.769497221460691, 3.6478483247632045, 1.2704582524523684, 0.2417807251774506,
  0.022723844989269184, 0.0007745450142783414,
];
const AS241_D = [
  1, 2.053191626637759, 1.6763848301838038, 0.6897673349851, 0.14810397642748008, 0.015198666563616457, 0.0005475938084995345,
  1.0507500716444169e-9,
];
const AS241_E = [
  6.657904643501103, 5.463784911164114, 1.7848265399172913, 0.29656057182850487, 0.026532189526576124, 0.0012426609473880784,
  0.000027115555687434876, 2.0103343992922881e-7,
];
const AS241_F = [
  1, 0.599832206555888, 0.1369298809227358, 0.014875361290850615, 0.0007868691311456133, 0.000018463183175100548, 1.421511758316446e-7,
  2.0442631033899397e-15,
];

/** c[0] + c[1]·x + … by Horner's rule. */
function poly(c: readonly number[], x: number): number {
  let v = 0;
  for (let i = c.length - 1; i >= 0; i--) v = v * x + c[i]!;
  return v;
}

/** Φ⁻¹(p): the z with P(Z ≤ z) = p (−∞ at 0, +∞ at 1, NaN outside [0, 1]). */
export function normalQuantile(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * poly(AS241_A, r)) / poly(AS241_B, r);
  }
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  let z: number;
  if (r <= 5) {
    r -= 1.6;
    z = poly(AS241_C, r) / poly(AS241_D, r);
  } else {
    r -= 5;
    z = poly(AS241_E, r) / poly(AS241_F, r);
  }
  return q < 0 ? -z : z;
}

/** The two-sided critical value z_{1−(1−confidence)/2}. */
function normalCritical(confidence: number): number {
  return -normalQuantile((1 - confidence) / 2);
}

// ---------------------------------------------------------------------------------------------
// Gamma and beta functions

/** ln Γ(x) − Stirling's approximation, for x ≥ 10: the asymptotic series to x⁻¹⁵ (error < 1e-18). */
function stirlingError(x: number): number {
  const s = 1 / (x * x);
  return (
    (1 / 12 - s * (1 / 360 - s * (1 / 1260 - s * (1 / 1680 - s * (1 / 1188 - s * (691 / 360360 - s * (1 / 156 - (s * 3617) / 122400))))))) /
    x
  );
}

/** ln Γ(x) for x > 0: Stirling's series, after shifting x up to 10 with Γ(x) = Γ(x + 1)/x. */
function lnGamma(x: number): number {
  let product = 1;
  while (x < 10) {
    product *= x;
    x += 1;
  }
  return (x - 0.5) * Math.log(x) - x + LN_SQRT_2PI + stirlingError(x) - Math.log(product);
}

/** ln Γ(a) − ln Γ(a + b) for a ≥ 10, from Stirling's formula so that the large terms cancel exactly. */
function lnGammaRatio(a: number, b: number): number {
  const sum = a + b;
  return -(sum - 0.5) * Math.log1p(b / a) - b * Math.log(a) + b + stirlingError(a) - stirlingError(sum);
}

/** ln B(a, b); when a parameter is large its Γ terms are huge and nearly cancel, so they are paired first. */
function lnBeta(a: number, b: number): number {
  const big = Math.max(a, b);
  const small = Math.min(a, b);
  if (big < 10) return lnGamma(a) + lnGamma(b) - lnGamma(a + b);
  if (small < 10) return lnGamma(small) + lnGammaRatio(big, small);
  const r = small / big;
  return (
    LN_SQRT_2PI -
    big * Math.log1p(r) +
    small * (Math.log(r) - Math.log1p(r)) +
    0.5 * (Math.log1p(r) - Math.log(small)) +
    stirlingError(big) +
    stirlingError(small) -
    stirlingError(big + small)
  );
}

/**
 * The continued fraction of the regularized incomplete beta function (DLMF 8.17.22), evaluated
 * by the modified Lentz method. It converges quickly for x < (a + 1)/(a + b + 2).
 */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  const eps = 1e-16;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 100_000; m++) {
    const m2 = 2 * m;
    // Even step.
    let term = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + term * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + term / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    // Odd step.
    term = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + term * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + term / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < eps) return h;
  }
  return h; // not reached for the arguments used here
}

/**
 * ln I_x(a, b), the regularized incomplete beta function, given x, y = 1 − x and their
 * logarithms (each formed by the caller without cancellation).
 */
function lnIncompleteBeta(x: number, y: number, lnX: number, lnY: number, a: number, b: number): number {
  if (lnX === Number.NEGATIVE_INFINITY) return Number.NEGATIVE_INFINITY;
  if (lnY === Number.NEGATIVE_INFINITY) return 0;
  // Past the mean the fraction converges slowly: use I_x(a, b) = 1 − I_y(b, a) (tested on y, which is exact near x = 1).
  if (y < (b + 1) / (a + b + 2)) return Math.log1p(-Math.exp(lnIncompleteBeta(y, x, lnY, lnX, b, a)));
  return a * lnX + b * lnY - lnBeta(a, b) - Math.log(a) + Math.log(betaContinuedFraction(x, a, b));
}

// ---------------------------------------------------------------------------------------------
// Student's t distribution

const LN_SQRT_PI = 0.5723649429247001; // ln Γ(½)

/** Above this many degrees of freedom the t tail comes from the asymptotic expansion (the continued fraction slows down). */
const LARGE_DF = 1000;

function checkDf(df: number): void {
  if (!(df > 0)) throw new RangeError(`degrees of freedom must be positive, got ${df}`);
}

/**
 * ln I_x(a, ½) for large a, by the asymptotic expansion of DiDonato and Morris (ACM TOMS 708,
 * BGRAT) with b = ½: a series in 1/(4T²), T = a − ¼, whose leading term is the normal tail
 * Q(½, z) = erfc(√z), z = −T·ln x.
 */
function lnIncompleteBetaHalfLarge(a: number, lnX: number): number {
  const b = 0.5;
  const big = a - 0.25; // T = a + (b − 1)/2
  const z = -big * lnX;
  // I = M·Σ dₙ·Jₙ with M = e^−z·z^b·Γ(a + b)/(Γ(b)·Γ(a)·T^b) and J₀ = Q(b, z)·Γ(b)·e^z·z^−b.
  const lnM = -z + b * Math.log(z) - LN_SQRT_PI - lnGammaRatio(a, b) - b * Math.log(big);
  let j = (2 * Math.sqrt(Math.PI) * normalTailScaled(Math.sqrt(2 * z))) / Math.sqrt(z);
  const v = 0.25 / (big * big);
  const t2 = 0.25 * lnX * lnX;
  const c: number[] = [];
  const d: number[] = [];
  let sum = j;
  let power = 1;
  let cn = 1;
  for (let n = 1; n <= 30; n++) {
    const bp2n = b + 2 * (n - 1);
    j = (bp2n * (bp2n + 1) * j + (z + bp2n + 1) * power) * v;
    power *= t2;
    cn /= 2 * n * (2 * n + 1);
    c.push(cn);
    let s = 0;
    for (let i = 1; i < n; i++) s += (i * b - n) * c[i - 1]! * d[n - 1 - i]!;
    d.push((b - 1) * cn + s / n);
    const dj = d[n - 1]! * j;
    sum += dj;
    if (Math.abs(dj) <= 1e-16 * sum) break;
  }
  return lnM + Math.log(sum);
}

/** ln x and ln(1 − x) for x = df/(df + t²), from ln|t|, so that neither x near 1 nor a huge t loses precision. */
function betaArgument(lnAbsT: number, df: number): { lnX: number; lnY: number } {
  const lnR = 2 * lnAbsT - Math.log(df); // r = t²/df, x = 1/(1 + r)
  const lnX = lnR > 40 ? -lnR - Math.exp(-lnR) : -Math.log1p(Math.exp(lnR));
  return { lnX, lnY: lnR + lnX };
}

/** ln P(T ≤ −|t|) for Student's t, given ln|t|: ½·I_x(df/2, ½) with x = df/(df + t²). */
function lnStudentTTail(lnAbsT: number, df: number): number {
  if (lnAbsT === Number.NEGATIVE_INFINITY) return -Math.LN2;
  const { lnX, lnY } = betaArgument(lnAbsT, df);
  if (lnY === Number.NEGATIVE_INFINITY) return -Math.LN2; // t²/df below the smallest double
  const a = df / 2;
  const y = Math.exp(lnY);
  if (df > LARGE_DF && y >= 1.5 / (a + 2.5)) return lnIncompleteBetaHalfLarge(a, lnX) - Math.LN2;
  return lnIncompleteBeta(Math.exp(lnX), y, lnX, lnY, a, 0.5) - Math.LN2;
}

/** ln of the t density at ±|t|, given ln|t|. */
function lnStudentTDensity(lnAbsT: number, df: number): number {
  return ((df + 1) / 2) * betaArgument(lnAbsT, df).lnX - lnBeta(df / 2, 0.5) - 0.5 * Math.log(df);
}

/** P(T ≤ t) for Student's t with df > 0 degrees of freedom (fractional df allowed; Infinity is the normal). */
export function studentTCdf(t: number, df: number): number {
  checkDf(df);
  if (Number.isNaN(t)) return Number.NaN;
  if (df === Number.POSITIVE_INFINITY) return normalCdf(t);
  const tail = Math.exp(lnStudentTTail(Math.log(Math.abs(t)), df));
  return t <= 0 ? tail : 1 - tail;
}

/** P(T ≤ −|t|): the one-sided p-value of |t|, without the cancellation of 1 − P(T ≤ |t|). */
function studentTTail(t: number, df: number): number {
  return df === Number.POSITIVE_INFINITY ? normalTail(t) : Math.exp(lnStudentTTail(Math.log(Math.abs(t)), df));
}

/**
 * ln|t| for the t < 0 with P(T ≤ t) = q, 0 < q < ½. Newton's method on ln P against ln|t|
 * (nearly a straight line in the heavy tails of small df), kept inside a bracket of the root
 * and bisecting when a step would leave it.
 */
function studentTLowerQuantileLog(q: number, df: number): number {
  const lnQ = Math.log(q);
  const g = (s: number) => lnStudentTTail(s, df) - lnQ; // decreasing in s = ln|t|
  // Start from the normal quantile or from the tail's power law, P(T ≤ t) ≈ C·|t|^−df, whichever is closer.
  const fromNormal = Math.log(-normalQuantile(q));
  const fromPowerLaw = ((df / 2 - 1) * Math.log(df) - lnBeta(df / 2, 0.5) - lnQ) / df;
  let s = Math.abs(g(fromPowerLaw)) < Math.abs(g(fromNormal)) ? fromPowerLaw : fromNormal;
  let low = Number.NEGATIVE_INFINITY; // g(low) > 0
  let high = Number.POSITIVE_INFINITY; // g(high) < 0
  for (let i = 0; i < 200; i++) {
    const lnTail = lnStudentTTail(s, df);
    const gs = lnTail - lnQ;
    if (gs === 0) return s;
    if (gs > 0) low = s;
    else high = s;
    const slope = -Math.exp(lnStudentTDensity(s, df) + s - lnTail); // d ln P / d ln|t|
    let next = s - gs / slope;
    if (!(next > low && next < high)) {
      if (low === Number.NEGATIVE_INFINITY) next = high - 1;
      else if (high === Number.POSITIVE_INFINITY) next = low + 1;
      else next = (low + high) / 2;
    }
    if (Math.abs(next - s) <= 1e-15 * Math.max(1, Math.abs(s))) return next;
    s = next;
  }
  return s;
}

/** The t with P(T ≤ t) = p for Student's t with df > 0 degrees of freedom (±∞ at 0 and 1, and beyond the range of a double). */
export function studentTQuantile(p: number, df: number): number {
  checkDf(df);
  if (Number.isNaN(p) || p < 0 || p > 1) return Number.NaN;
  if (df === Number.POSITIVE_INFINITY) return normalQuantile(p);
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  if (p === 0.5) return 0;
  return p < 0.5 ? -Math.exp(studentTLowerQuantileLog(p, df)) : Math.exp(studentTLowerQuantileLog(1 - p, df));
}

// ---------------------------------------------------------------------------------------------
// Argument checks (a failure is a programming error, not a user's)

function checkConfidence(confidence: number): void {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be between 0 and 1, got ${confidence}`);
}

function checkCount(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${what} must be a whole number ≥ 0, got ${value}`);
}

function checkConversions(group: Conversions, label: string): void {
  checkCount(group.n, `${label}: n`);
  checkCount(group.x, `${label}: x`);
  if (group.x > group.n) throw new RangeError(`${label}: ${group.x} conversions out of ${group.n} recipients`);
}

const TREATED = 'treated group';
const HOLDOUT = 'holdout';

/** A value with the name of its group. */
type Labelled<T> = [T, string];

/** "3 in the holdout", "3 in the treated group, 0 in the holdout". */
function countsIn(entries: Labelled<number>[]): string {
  return entries.map(([count, label]) => `${count} in the ${label}`).join(', ');
}

// ---------------------------------------------------------------------------------------------
// Two proportions: the conversion rate of the treated group against the holdout

/** A group's recipients (n) and how many of them converted (x). */
export interface Conversions {
  n: number;
  x: number;
}

export interface TwoProportions {
  rateTreated: number | null;
  rateControl: number | null;
  /** rateTreated − rateControl. */
  difference: number | null;
  /** difference / rateControl (the lift); null when the control rate is 0. */
  relative: number | null;
  /** Unpooled Wald interval of the difference. */
  ci: Interval | null;
  /** ci divided by rateControl. */
  relativeCi: Interval | null;
  /** Pooled two-proportion z statistic. */
  z: number | null;
  /** Two-sided p-value of z. */
  pValue: number | null;
  /** Whether the normal approximation holds (n ≥ 30, at least 5 conversions and 5 non-conversions per group) and ci and pValue exist. */
  meaningful: boolean;
  /** Why not, in plain words (present exactly when meaningful is false). */
  caveat?: string;
}

/** The smallest group, and the fewest conversions and non-conversions per group, for the normal approximation. */
const MIN_GROUP = 30;
const MIN_EVENTS = 5;

/**
 * Treated against control (the holdout): the difference of conversion rates with its unpooled
 * Wald interval, and the pooled z test. Rates and differences are given wherever they are
 * defined; the interval and p-value are null where they cannot be computed (an empty group, no
 * variation at all) and flagged with a caveat where the normal approximation is doubtful.
 */
export function twoProportions(treated: Conversions, control: Conversions, confidence = 0.95): TwoProportions {
  checkConversions(treated, 'treated');
  checkConversions(control, 'control');
  checkConfidence(confidence);
  const groups: Labelled<Conversions>[] = [
    [treated, TREATED],
    [control, HOLDOUT],
  ];
  const empty = groups.filter(([g]) => g.n === 0);
  if (empty.length > 0) {
    return {
      rateTreated: treated.n > 0 ? treated.x / treated.n : null,
      rateControl: control.n > 0 ? control.x / control.n : null,
      difference: null,
      relative: null,
      ci: null,
      relativeCi: null,
      z: null,
      pValue: null,
      meaningful: false,
      caveat: `no recipients in the ${empty.map(([, label]) => label).join(' or the ')}`,
    };
  }
  const rateTreated = treated.x / treated.n;
  const rateControl = control.x / control.n;
  const difference = rateTreated - rateControl;
  const relative = rateControl > 0 ? difference / rateControl : null;

  // Unpooled standard error for the interval; pooled (the rate under "no difference") for the test.
  const se = Math.sqrt((rateTreated * (1 - rateTreated)) / treated.n + (rateControl * (1 - rateControl)) / control.n);
  const pooled = (treated.x + control.x) / (treated.n + control.n);
  const se0 = Math.sqrt(pooled * (1 - pooled) * (1 / treated.n + 1 / control.n));
  const half = normalCritical(confidence) * se;
  const ci = se > 0 ? { low: difference - half, high: difference + half } : null;
  const relativeCi = ci && rateControl > 0 ? { low: ci.low / rateControl, high: ci.high / rateControl } : null;
  const z = se0 > 0 ? difference / se0 : null;
  const pValue = z === null ? null : Math.min(1, 2 * normalTail(z));

  const reasons: string[] = [];
  const small = groups.filter(([g]) => g.n < MIN_GROUP).map(([g, label]): Labelled<number> => [g.n, label]);
  if (small.length > 0) reasons.push(`too few recipients (${countsIn(small)}); need at least ${MIN_GROUP} per group`);
  if (se0 === 0) {
    const what = pooled === 0 ? 'no recipient converted in either group' : 'every recipient converted in both groups';
    reasons.push(`${what}, so the rates do not vary: there is no interval or p-value`);
  } else {
    const fewConversions = groups.filter(([g]) => g.x < MIN_EVENTS).map(([g, label]): Labelled<number> => [g.x, label]);
    const fewNon = groups.filter(([g]) => g.n - g.x < MIN_EVENTS).map(([g, label]): Labelled<number> => [g.n - g.x, label]);
    const few = [
      ...(fewConversions.length > 0 ? [`too few conversions (${countsIn(fewConversions)})`] : []),
      ...(fewNon.length > 0 ? [`too few non-conversions (${countsIn(fewNon)})`] : []),
    ];
    if (few.length > 0)
      reasons.push(
        `${few.join(' and ')} for a normal-approximation interval; need at least ${MIN_EVENTS} conversions and ${MIN_EVENTS} non-conversions per group`,
      );
    if (se === 0) reasons.push('each group converted all or none of its recipients, so the interval has no width');
  }
  const meaningful = reasons.length === 0;
  return {
    rateTreated,
    rateControl,
    difference,
    relative,
    ci,
    relativeCi,
    z,
    pValue,
    meaningful,
    ...(meaningful ? {} : { caveat: reasons.join('; ') }),
  };
}

// ---------------------------------------------------------------------------------------------
// Two means (Welch): e.g. revenue per recipient, non-converters counting 0

/** A group's size, sum of values and sum of squared values. */
export interface Moments {
  n: number;
  sum: number;
  sumSquares: number;
}

export interface WelchResult {
  meanTreated: number | null;
  meanControl: number | null;
  /** meanTreated − meanControl. */
  difference: number | null;
  /** t interval of the difference (Welch–Satterthwaite df). */
  ci: Interval | null;
  t: number | null;
  df: number | null;
  /** Two-sided p-value of t. */
  pValue: number | null;
  /** False when the groups cannot give an interval: fewer than 2 values in a group, or no spread in either. */
  meaningful: boolean;
  /** Why not meaningful, or a warning (under 30 values in a group). */
  caveat?: string;
}

/**
 * The sample variance from n, Σx and Σx². The difference Σx² − (Σx)²/n cancels badly when the
 * values barely vary, so anything within rounding of Σx² (1e-12 of it) counts as no spread;
 * a clearly negative one means the sums do not belong together.
 */
function sampleVariance(group: Moments, label: string): number {
  const deviations = group.sumSquares - group.sum * (group.sum / group.n);
  if (deviations <= 1e-12 * group.sumSquares) {
    if (deviations < -1e-9 * group.sumSquares) throw new RangeError(`${label}: sum of squares ${group.sumSquares} is below (sum)²/n`);
    return 0;
  }
  return deviations / (group.n - 1);
}

function checkMoments(group: Moments, label: string): void {
  checkCount(group.n, `${label}: n`);
  if (!Number.isFinite(group.sum) || !Number.isFinite(group.sumSquares) || group.sumSquares < 0)
    throw new RangeError(`${label}: sum and sumSquares must be finite, sumSquares ≥ 0`);
}

/** Welch's two-sample t: the difference of means, its interval and p-value, with the Welch–Satterthwaite df. */
export function welch(treated: Moments, control: Moments, confidence = 0.95): WelchResult {
  checkMoments(treated, 'treated');
  checkMoments(control, 'control');
  checkConfidence(confidence);
  const meanTreated = treated.n > 0 ? treated.sum / treated.n : null;
  const meanControl = control.n > 0 ? control.sum / control.n : null;
  const difference = meanTreated !== null && meanControl !== null ? meanTreated - meanControl : null;
  const none = { ci: null, t: null, df: null, pValue: null, meaningful: false };

  const groups: Labelled<Moments>[] = [
    [treated, TREATED],
    [control, HOLDOUT],
  ];
  const tiny = groups.filter(([g]) => g.n < 2).map(([g, label]): Labelled<number> => [g.n, label]);
  if (tiny.length > 0)
    return {
      meanTreated,
      meanControl,
      difference,
      ...none,
      caveat: `too few recipients (${countsIn(tiny)}); a variance needs at least 2 per group`,
    };

  const vt = sampleVariance(treated, 'treated') / treated.n; // squared standard errors of the means
  const vc = sampleVariance(control, 'control') / control.n;
  const se = Math.sqrt(vt + vc);
  if (se === 0)
    return {
      meanTreated,
      meanControl,
      difference,
      ...none,
      caveat: 'every value is the same within each group (no spread), so there is no interval or p-value',
    };
  // Welch–Satterthwaite, on the two squared errors scaled to the larger (their squares could underflow).
  const scale = Math.max(vt, vc);
  const df = ((vt + vc) / scale) ** 2 / ((vt / scale) ** 2 / (treated.n - 1) + (vc / scale) ** 2 / (control.n - 1));
  const t = difference! / se;
  const half = -studentTQuantile((1 - confidence) / 2, df) * se;
  const small = groups.filter(([g]) => g.n < MIN_GROUP).map(([g, label]): Labelled<number> => [g.n, label]);
  return {
    meanTreated,
    meanControl,
    difference,
    ci: { low: difference! - half, high: difference! + half },
    t,
    df,
    pValue: Math.min(1, 2 * studentTTail(t, df)),
    meaningful: true,
    ...(small.length > 0
      ? {
          caveat: `few recipients (${countsIn(small)}): under ${MIN_GROUP} per group the t interval relies on the values being roughly normal, which skewed values such as revenue seldom are`,
        }
      : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Several comparisons at once

/**
 * Holm's step-down correction: p-values adjusted for testing them together (each ≥ its raw
 * value, never above 1, and in the same order as the raw ones), and which hypotheses are
 * rejected at family-wise error rate alpha. Both arrays in input order.
 */
export function holm(pValues: readonly number[], alpha = 0.05): { adjusted: number[]; rejected: boolean[] } {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be between 0 and 1, got ${alpha}`);
  for (const p of pValues) if (!(p >= 0 && p <= 1)) throw new RangeError(`p-values must be between 0 and 1, got ${p}`);
  const m = pValues.length;
  const order = pValues.map((_, i) => i).sort((i, j) => pValues[i]! - pValues[j]!);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach((index, rank) => {
    // The k-th smallest (from 0) is compared with alpha/(m − k); the running maximum keeps the order.
    running = Math.min(1, Math.max(running, (m - rank) * pValues[index]!));
    adjusted[index] = running;
  });
  return { adjusted, rejected: adjusted.map((p) => p <= alpha) };
}

// ---------------------------------------------------------------------------------------------
// Planning

/**
 * Recipients per group for a two-sided two-proportion z test to detect p0 → p1 with the given
 * power: n = (z_{1−α/2}·√(2·p̄·(1−p̄)) + z_power·√(p0(1−p0) + p1(1−p1)))² / (p1 − p0)², p̄ the
 * mean rate, rounded up. Null when the rates are equal or one is not strictly between 0 and 1.
 */
export function sampleSizeTwoProportions(p0: number, p1: number, options: { alpha?: number; power?: number } = {}): number | null {
  const { alpha = 0.05, power = 0.8 } = options;
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be between 0 and 1, got ${alpha}`);
  if (!(power > 0 && power < 1)) throw new RangeError(`power must be between 0 and 1, got ${power}`);
  if (!(p0 > 0 && p0 < 1 && p1 > 0 && p1 < 1) || p0 === p1) return null;
  const mean = (p0 + p1) / 2;
  const zAlpha = -normalQuantile(alpha / 2);
  const zPower = normalQuantile(power);
  const n = (zAlpha * Math.sqrt(2 * mean * (1 - mean)) + zPower * Math.sqrt(p0 * (1 - p0) + p1 * (1 - p1))) ** 2 / (p1 - p0) ** 2;
  return Math.ceil(n - 1e-9); // a result a rounding error above a whole number is that number
}

// ---------------------------------------------------------------------------------------------
// Net Promoter Score

export interface NpsCounts {
  promoters: number;
  passives: number;
  detractors: number;
}

export interface NpsResult {
  n: number;
  /** % promoters − % detractors, from −100 to 100; null without answers. */
  score: number | null;
  /** score ± z·100·√((pP + pD − (pP − pD)²)/n) (not clipped to ±100). */
  ci: Interval | null;
  /** At least 30 answers, not all in one category. */
  meaningful: boolean;
  caveat?: string;
}

/** The NPS of a set of answers with its normal-approximation interval. */
export function nps(counts: NpsCounts, confidence = 0.95): NpsResult {
  checkCount(counts.promoters, 'promoters');
  checkCount(counts.passives, 'passives');
  checkCount(counts.detractors, 'detractors');
  checkConfidence(confidence);
  const n = counts.promoters + counts.passives + counts.detractors;
  if (n === 0) return { n, score: null, ci: null, meaningful: false, caveat: 'no answers yet' };
  const pP = counts.promoters / n;
  const pD = counts.detractors / n;
  const score = (100 * (counts.promoters - counts.detractors)) / n;
  const variance = Math.max(0, pP + pD - (pP - pD) ** 2); // of one answer scored +1, 0 or −1
  const reasons: string[] = [];
  if (n < MIN_GROUP) reasons.push(`only ${n} ${n === 1 ? 'answer' : 'answers'}; an interval needs at least ${MIN_GROUP}`);
  let ci: Interval | null = null;
  if (variance > 0) {
    const half = normalCritical(confidence) * 100 * Math.sqrt(variance / n);
    ci = { low: score - half, high: score + half };
  } else reasons.push('every answer is in the same category, so there is no spread to give an interval');
  const meaningful = reasons.length === 0;
  return { n, score, ci, meaningful, ...(meaningful ? {} : { caveat: reasons.join('; ') }) };
}

// ---------------------------------------------------------------------------------------------
// One proportion

/** A single rate (x of n) with its Wilson score interval, which stays inside [0, 1] and behaves at 0 and n. */
export function proportion(counts: Conversions, confidence = 0.95): { rate: number | null; ci: Interval | null } {
  checkConversions(counts, 'proportion');
  checkConfidence(confidence);
  const { n, x } = counts;
  if (n === 0) return { rate: null, ci: null };
  const rate = x / n;
  const z = normalCritical(confidence);
  const z2n = (z * z) / n;
  const centre = (rate + z2n / 2) / (1 + z2n);
  const half = (z / (1 + z2n)) * Math.sqrt((rate * (1 - rate)) / n + z2n / (4 * n));
  // At x = 0 (x = n) the lower (upper) end is 0 (1) exactly; rounding would leave it a hair off.
  return { rate, ci: { low: x === 0 ? 0 : Math.max(0, centre - half), high: x === n ? 1 : Math.min(1, centre + half) } };
}
