/**
 * The few statistics an experiment reports: means, sample standard
 * deviations, paired differences and Student-t confidence intervals.
 */

export function mean(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

/** The sample standard deviation (n − 1 in the denominator); NaN for fewer than two values. */
export function sampleSd(values: readonly number[]): number {
  if (values.length < 2) return NaN;
  const m = mean(values);
  return Math.sqrt(values.reduce((sum, v) => sum + (v - m) ** 2, 0) / (values.length - 1));
}

/** `a[i] − b[i]` for every index where both have a value: the pairs that share a seed. */
export function pairedDifferences(a: ReadonlyArray<number | undefined>, b: ReadonlyArray<number | undefined>): number[] {
  const differences: number[] = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x !== undefined && y !== undefined && Number.isFinite(x) && Number.isFinite(y)) differences.push(x - y);
  }
  return differences;
}

/**
 * The two-sided confidence interval of a mean, `mean ± t(1 − (1 − level)/2, n − 1) · sd/√n`;
 * undefined for fewer than two values. With identical values it is the point itself.
 */
export function tInterval(values: readonly number[], level = 0.95): [number, number] | undefined {
  const n = values.length;
  if (n < 2) return undefined;
  const m = mean(values);
  const half = studentTQuantile(1 - (1 - level) / 2, n - 1) * (sampleSd(values) / Math.sqrt(n));
  return [m - half, m + half];
}

/** The p-quantile of Student's t with `df` degrees of freedom (p > 0.5), by bisection on its distribution function. */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0.5 && p < 1) || !(df > 0)) throw new RangeError(`studentTQuantile needs 0.5 < p < 1 and df > 0, not p = ${p}, df = ${df}`);
  let low = 0;
  let high = 1;
  while (studentTCdf(high, df) < p) high *= 2;
  for (let i = 0; i < 200 && high - low > 1e-12 * high; i++) {
    const middle = (low + high) / 2;
    if (studentTCdf(middle, df) < p) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}

/** P(T ≤ t) for Student's t: 1 − ½·I_{df/(df+t²)}(df/2, ½) for t ≥ 0. */
export function studentTCdf(t: number, df: number): number {
  const tail = 0.5 * regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** I_x(a, b) by its continued fraction (Lentz's method), using the symmetry I_x(a,b) = 1 − I_{1−x}(b,a) where it converges faster. */
function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  if (x > (a + 1) / (a + b + 2)) return 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
  return (front * betaContinuedFraction(x, a, b)) / a;
}

function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  d = 1 / (Math.abs(d) < tiny ? tiny : d);
  let result = d;
  for (let m = 1; m <= 300; m++) {
    for (const numerator of [(m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m)), -((a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1))]) {
      d = 1 + numerator * d;
      d = 1 / (Math.abs(d) < tiny ? tiny : d);
      c = 1 + numerator / c;
      if (Math.abs(c) < tiny) c = tiny;
      result *= c * d;
    }
    if (Math.abs(c * d - 1) < 1e-15) break;
  }
  return result;
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, nine coefficients). */
function logGamma(x: number): number {
  const g = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = g[0]!;
  for (let i = 1; i < 9; i++) sum += g[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

export type Verdict = "helps" | "hurts" | "unclear";

/**
 * What a clause does, from the interval of `metric(with it) − metric(without it)`:
 * an interval wholly on the better side of 0 helps, wholly on the worse side
 * hurts, and one that holds 0 (or no interval at all) is unclear.
 */
export function verdict(interval: readonly [number, number] | undefined, higherIsBetter: boolean): Verdict {
  if (!interval) return "unclear";
  const [low, high] = interval;
  if (low > 0) return higherIsBetter ? "helps" : "hurts";
  if (high < 0) return higherIsBetter ? "hurts" : "helps";
  return "unclear";
}
