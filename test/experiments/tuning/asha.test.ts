import { describe, expect, it } from "vitest";
import { rungEpochs } from "../../../src/compiler/tuning/rungs.js";
import { AshaScheduler, type AshaOptions, type RungJob, type RungResult } from "../../../src/experiments/tuning/asha.js";

describe("rung epochs", () => {
  it("multiply by η while the next rung fits the budget, and the last rung is the whole budget", () => {
    expect(rungEpochs(1, 9, 3)).toEqual([1, 3, 9]);
    expect(rungEpochs(6, 60, 3)).toEqual([6, 18, 60]);
    expect(rungEpochs(2, 10, 2)).toEqual([2, 4, 10]);
    expect(rungEpochs(20, 10, 3)).toEqual([10]);
  });
});

/** Runs the scheduler with one worker; a trial's objective is its quality at every rung. */
function runSequentially(scheduler: AshaScheduler, quality: readonly number[], limit = Infinity): { jobs: RungJob[]; results: RungResult[] } {
  const jobs: RungJob[] = [];
  const results: RungResult[] = [];
  for (let decision = scheduler.next(); decision.kind === "run" && jobs.length < limit; decision = scheduler.next()) {
    jobs.push(decision.job);
    const result = { trial: decision.job.trial, rung: decision.job.rung, objective: quality[decision.job.trial] };
    results.push(result);
    scheduler.report(result);
  }
  return { jobs, results };
}

describe("ASHA", () => {
  const options: AshaOptions = { trials: 4, minEpochs: 1, maxEpochs: 4, reduction: 2, direction: "maximize" };

  it("promotes the top 1/η of a rung as soon as it can, and starts new trials otherwise (worked by hand)", () => {
    const { jobs } = runSequentially(new AshaScheduler(options), [0.1, 0.9, 0.5, 0.3]);
    // 0 starts; 1 starts; 1 is the top half of {0, 1}: promoted; 2 and 3 start (top half of rung 0 is 1, then 1 and 2);
    // 2 is promoted to rung 1; 1 is the top half of rung 1 {1, 2}: promoted to the last rung.
    expect(jobs.map((j) => `${j.trial}@${j.epochs}`)).toEqual(["0@1", "1@1", "1@2", "2@1", "3@1", "2@2", "1@4"]);
  });

  it("stops poor trials early and spends fewer epochs than training every trial fully", () => {
    const quality = Array.from({ length: 27 }, (_, i) => Math.sin(i * 12.9898) * 0.5 + 0.5);
    const scheduler = new AshaScheduler({ trials: 27, minEpochs: 1, maxEpochs: 9, reduction: 3, direction: "maximize" });
    const { jobs } = runSequentially(scheduler, quality);
    const spent = jobs.reduce((sum, j) => sum + j.epochs, 0);
    expect(spent).toBeLessThan(27 * 9 / 2);
    const best = quality.indexOf(Math.max(...quality));
    expect(scheduler.highestRung(best)).toBe(2);
    const worstHalf = [...quality.keys()].sort((a, b) => quality[a]! - quality[b]!).slice(0, 13);
    for (const trial of worstHalf) expect(scheduler.highestRung(trial)).toBe(0);
  });

  it("minimizes when asked to", () => {
    const { jobs } = runSequentially(new AshaScheduler({ ...options, direction: "minimize" }), [0.1, 0.9, 0.5, 0.3]);
    expect(jobs.at(-1)).toEqual({ trial: 0, rung: 2, epochs: 4 });
  });

  it("never promotes a failed trial", () => {
    const { jobs } = runSequentially(new AshaScheduler(options), [Number.NaN, 0.2, 0.1, 0.3]);
    expect(jobs.filter((j) => j.trial === 0)).toHaveLength(1);
  });

  it("waits while trials run and nothing else may start", () => {
    const scheduler = new AshaScheduler({ ...options, trials: 2 });
    const first = scheduler.next();
    const second = scheduler.next();
    expect([first.kind, second.kind]).toEqual(["run", "run"]);
    expect(scheduler.next()).toEqual({ kind: "wait" });
    scheduler.report({ trial: 0, rung: 0, objective: 0.5 });
    scheduler.report({ trial: 1, rung: 0, objective: 0.7 });
    expect(scheduler.next()).toEqual({ kind: "run", job: { trial: 1, rung: 1, epochs: 2 } });
  });

  it("resumed from its finished results, makes the same decisions as without the interruption", () => {
    const quality = Array.from({ length: 12 }, (_, i) => ((i * 7) % 12) / 12);
    const settings = { trials: 12, minEpochs: 1, maxEpochs: 9, reduction: 3, direction: "maximize" } as const;
    const whole = runSequentially(new AshaScheduler(settings), quality);
    for (const cut of [1, 5, 9, 13]) {
      const before = runSequentially(new AshaScheduler(settings), quality, cut);
      // The job after `cut` was dispatched, then lost: the resumed scheduler knows only the results.
      const after = runSequentially(new AshaScheduler(settings, before.results.slice(0, cut - 1)), quality);
      expect([...before.jobs.slice(0, cut - 1), ...after.jobs]).toEqual(whole.jobs);
    }
  });
});
