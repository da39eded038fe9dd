import { deriveSeed, uniformStream } from "../../runtime/random.js";

/**
 * Points of a search: every combination of the choices (grid), or seeded
 * draws (random). Trial i's random point is a function of the seed and i
 * alone, so a resumed search draws exactly what an uninterrupted one would.
 */

export type Domain =
  | { name: string; kind: "choice"; options: readonly string[] }
  | { name: string; kind: "uniform" | "log_uniform" | "int_uniform"; low: number; high: number };

/** For each space's name: a choice's option as written, or a drawn number. */
export type Point = Record<string, string | number>;

/** How many points a grid over these domains has; every domain must be a choice. */
export function gridSize(domains: readonly Domain[]): number {
  return domains.reduce((size, d) => size * (d.kind === "choice" ? d.options.length : NaN), 1);
}

/** The grid's point `index` in row-major order: the last domain varies fastest. */
export function gridPoint(domains: readonly Domain[], index: number): Point {
  const point: Point = {};
  let rest = index;
  for (let i = domains.length - 1; i >= 0; i--) {
    const domain = domains[i]!;
    if (domain.kind !== "choice") throw new Error(`a grid takes only choices, and \`${domain.name}\` is ${domain.kind}`);
    point[domain.name] = domain.options[rest % domain.options.length]!;
    rest = Math.floor(rest / domain.options.length);
  }
  return orderedLike(domains, point);
}

export function grid(domains: readonly Domain[]): Point[] {
  return Array.from({ length: gridSize(domains) }, (_, i) => gridPoint(domains, i));
}

/** Trial `index`'s random point under `seed`. */
export function randomPoint(domains: readonly Domain[], seed: number, index: number): Point {
  const point: Point = {};
  for (const domain of domains) {
    const u = uniformStream(deriveSeed(seed, "tune", index, domain.name))();
    point[domain.name] = draw(domain, u);
  }
  return point;
}

/** The value at quantile u ∈ [0, 1) of a domain. */
export function draw(domain: Domain, u: number): string | number {
  switch (domain.kind) {
    case "choice":
      return domain.options[Math.floor(u * domain.options.length)]!;
    case "int_uniform":
      return domain.low + Math.floor(u * (domain.high - domain.low + 1));
    case "uniform":
      return readable(domain.low + u * (domain.high - domain.low), domain);
    case "log_uniform":
      return readable(Math.exp(Math.log(domain.low) + u * (Math.log(domain.high) - Math.log(domain.low))), domain);
  }
}

/** Three significant digits, as a person would write the value, kept inside the bounds. */
function readable(value: number, domain: { low: number; high: number }): number {
  return Math.min(domain.high, Math.max(domain.low, Number(value.toPrecision(3))));
}

function orderedLike(domains: readonly Domain[], point: Point): Point {
  return Object.fromEntries(domains.map((d) => [d.name, point[d.name]!]));
}
