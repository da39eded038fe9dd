/**
 * Learning-rate schedules: the rate for a 1-based epoch, from the
 * optimizer's base rate. The generated code names one (`cosine({ cycles: 5 })`).
 */
export type Schedule = (baseRate: number, epoch: number, epochs: number) => number;

export function constant(): Schedule {
  return (base) => base;
}

/** Multiplies the rate by `factor` every `every` epochs. */
export function step(options: { every?: number; factor?: number } = {}): Schedule {
  const every = options.every ?? 10;
  const factor = options.factor ?? 0.1;
  return (base, epoch) => base * factor ** Math.floor((epoch - 1) / every);
}

export function exponential(options: { rate?: number } = {}): Schedule {
  const rate = options.rate ?? 0.96;
  return (base, epoch) => base * rate ** (epoch - 1);
}

/** Cosine annealing from the base rate to `minLr` within each of `cycles` equal cycles (warm restarts). */
export function cosine(options: { minLr?: number; cycles?: number } = {}): Schedule {
  const minLr = options.minLr ?? 0;
  const cycles = options.cycles ?? 1;
  return (base, epoch, epochs) => {
    const length = Math.max(1, Math.ceil(epochs / cycles));
    const t = ((epoch - 1) % length) / length;
    return minLr + ((base - minLr) * (1 + Math.cos(Math.PI * t))) / 2;
  };
}
