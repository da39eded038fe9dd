import { rungEpochs } from "../../compiler/tuning/rungs.js";

/**
 * Asynchronous successive halving (ASHA; Li et al., "A System for Massively
 * Parallel Hyperparameter Tuning", 2018) over the epoch budget. Trials start
 * at the lowest rung with few epochs; whenever a worker asks for work, the
 * highest rung with a trial in its top 1/η that has not moved on yet promotes
 * it to the next rung (η times the epochs), and otherwise a new trial starts.
 * No rung waits for all of its trials, so every worker stays busy.
 *
 * A promoted trial is trained again from the start with the larger budget:
 * each rung is one ordinary run, so every rung's result is the result of a
 * plain `regc run` of its spec.
 */

export interface AshaOptions {
  trials: number;
  minEpochs: number;
  maxEpochs: number;
  /** η: the factor between rungs, and 1/η the share promoted. */
  reduction: number;
  direction: "maximize" | "minimize";
}

export interface RungJob {
  trial: number;
  rung: number;
  epochs: number;
}

export type Decision = { kind: "run"; job: RungJob } | { kind: "wait" } | { kind: "done" };

/** A finished job as `tuning.json` records it: the objective, or none when the trial failed. */
export interface RungResult {
  trial: number;
  rung: number;
  objective: number | undefined;
}

export class AshaScheduler {
  readonly rungs: readonly number[];
  /** Per rung: each finished trial's score, higher is better (failed: −∞). */
  private readonly scores: Array<Map<number, number>>;
  /** Per rung: the trials already promoted out of it. */
  private readonly promoted: Array<Set<number>>;
  /** Trial indices whose first rung is still to run, lowest first (after a resume, those lost in flight). */
  private readonly toStart: number[] = [];
  private nextTrial = 0;
  private running = 0;

  constructor(private readonly options: AshaOptions, finished: readonly RungResult[] = []) {
    this.rungs = rungEpochs(options.minEpochs, options.maxEpochs, options.reduction);
    this.scores = this.rungs.map(() => new Map());
    this.promoted = this.rungs.map(() => new Set());
    for (const result of finished) this.record(result);
    this.nextTrial = Math.max(0, ...finished.map((r) => r.trial + 1));
    for (let trial = 0; trial < this.nextTrial; trial++) if (!this.scores[0]!.has(trial)) this.toStart.push(trial);
  }

  next(): Decision {
    for (let rung = this.rungs.length - 2; rung >= 0; rung--) {
      const trial = this.promotable(rung);
      if (trial === undefined) continue;
      this.promoted[rung]!.add(trial);
      return this.dispatch({ trial, rung: rung + 1, epochs: this.rungs[rung + 1]! });
    }
    const trial = this.toStart.shift() ?? (this.nextTrial < this.options.trials ? this.nextTrial++ : undefined);
    if (trial !== undefined) return this.dispatch({ trial, rung: 0, epochs: this.rungs[0]! });
    return this.running > 0 ? { kind: "wait" } : { kind: "done" };
  }

  report(result: RungResult): void {
    this.running--;
    this.record(result);
  }

  /** The highest rung each trial finished. */
  highestRung(trial: number): number | undefined {
    for (let rung = this.rungs.length - 1; rung >= 0; rung--) if (this.scores[rung]!.has(trial)) return rung;
    return undefined;
  }

  private dispatch(job: RungJob): Decision {
    this.running++;
    return { kind: "run", job };
  }

  private record({ trial, rung, objective }: RungResult): void {
    const score = objective === undefined || Number.isNaN(objective) ? -Infinity : this.options.direction === "maximize" ? objective : -objective;
    this.scores[rung]!.set(trial, score);
    if (rung > 0) this.promoted[rung - 1]!.add(trial);
  }

  /** A trial in the rung's top ⌊n/η⌋ that has not been promoted yet, best first. */
  private promotable(rung: number): number | undefined {
    const finished = [...this.scores[rung]!.entries()].sort(([ta, a], [tb, b]) => b - a || ta - tb);
    const top = finished.slice(0, Math.floor(finished.length / this.options.reduction));
    return top.find(([trial, score]) => score > -Infinity && !this.promoted[rung]!.has(trial))?.[0];
  }
}
