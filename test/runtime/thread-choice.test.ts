import { describe, expect, it } from "vitest";
import {
  DECISIVE_RATIO,
  DECISIVE_ROUNDS,
  RECHECK_AFTER_STEPS,
  REQUIRED_GAIN,
  STEPS_PER_TURN,
  ThreadCalibration,
  TIMED_ROUNDS,
  WARM_UP_SECONDS,
  WARM_UP_STEPS,
  WATCHED_STEPS,
  type ThreadChoice,
} from "../../src/runtime/backend/thread-choice.js";

/** Steps of a whole timing after the warm-up, and of one ended early. */
const TIMING_STEPS = 2 * TIMED_ROUNDS * STEPS_PER_TURN;
const DECISIVE_STEPS = 2 * DECISIVE_ROUNDS * STEPS_PER_TURN;
/** Steps of 10 ms (the usual step here) that the warm-up takes: at least WARM_UP_STEPS, and WARM_UP_SECONDS' worth. */
const WARM_UP = warmUpSteps(() => 0.01);

/** How many steps the warm-up takes when they last `seconds(threads, step)`: the time of every step after the first counts. */
function warmUpSteps(seconds: (threads: number, step: number) => number): number {
  let elapsed = 0;
  let steps = 0;
  for (; steps < WARM_UP_STEPS || elapsed < WARM_UP_SECONDS; steps++) if (steps > 0) elapsed += seconds(steps % 2 === 0 ? 2 : 1, steps);
  return steps;
}

/** Runs steps through a calibration of 1 against `most` threads, each lasting what `seconds(threads, step)` says, until it chooses; the counts the steps took, and the choice. */
function calibrate(calibration: ThreadCalibration, seconds: (threads: number, step: number) => number): { counts: number[]; choice: ThreadChoice } {
  const counts: number[] = [];
  for (let step = 0; step < 1000; step++) {
    const threads = calibration.next();
    counts.push(threads);
    const choice = calibration.record(seconds(threads, step));
    if (choice) return { counts, choice };
  }
  throw new Error("no choice after 1,000 steps");
}

describe("the thread count timed over a run's steps", () => {
  it("warms up, then alternates turns of two steps at each count, each pair of turns in the other order than the last", () => {
    const { counts } = calibrate(new ThreadCalibration(2), () => 0.01);
    expect(WARM_UP).toBeGreaterThan(WARM_UP_STEPS);
    expect(counts).toHaveLength(WARM_UP + TIMING_STEPS);
    expect(counts.slice(0, 4)).toEqual([2, 1, 2, 1]);
    expect(counts.slice(WARM_UP, WARM_UP + 8)).toEqual([2, 2, 1, 1, 1, 1, 2, 2]);
    expect(counts.slice(WARM_UP).filter((count) => count === 1)).toHaveLength(TIMING_STEPS / 2);
  });

  it("ends early when every step at one count took the decisive ratio as long as every step at the other", () => {
    const slowTwo = calibrate(new ThreadCalibration(2), (threads) => (threads === 2 ? 0.03 : 0.01));
    expect(slowTwo.counts).toHaveLength(warmUpSteps((threads) => (threads === 2 ? 0.03 : 0.01)) + DECISIVE_STEPS);
    expect(slowTwo.choice.threads).toBe(1);
    const fastTwo = calibrate(new ThreadCalibration(2), (threads) => (threads === 2 ? 0.01 : 0.01 * DECISIVE_RATIO * 1.01));
    expect(fastTwo.counts).toHaveLength(warmUpSteps((threads) => (threads === 2 ? 0.01 : 0.01 * DECISIVE_RATIO * 1.01)) + DECISIVE_STEPS);
    expect(fastTwo.choice.threads).toBe(2);
    // One step at two threads as fast as one thread's slowest: no early end, though the medians differ as much.
    const warmUp = warmUpSteps((threads) => (threads === 1 ? 0.02 : 0.01));
    const firstTimed = warmUp + STEPS_PER_TURN - 1;
    const overlapping = calibrate(new ThreadCalibration(2), (threads, step) => (threads === 1 ? 0.02 : step === firstTimed ? 0.02 : 0.01));
    expect(overlapping.counts).toHaveLength(warmUp + TIMING_STEPS);
    expect(overlapping.choice.threads).toBe(2);
  });

  it("chooses all threads when their median step is shorter by more than the gain it requires, and reports both medians", () => {
    const { choice } = calibrate(new ThreadCalibration(4), (threads) => (threads === 4 ? 0.006 : 0.01));
    expect(choice.threads).toBe(4);
    expect(choice.previous).toBeUndefined();
    expect(choice.medianSeconds.get(4)).toBeCloseTo(0.006, 12);
    expect(choice.medianSeconds.get(1)).toBeCloseTo(0.01, 12);
  });

  it("chooses one thread when it is faster, when both tie, and when more threads gain less than required", () => {
    expect(calibrate(new ThreadCalibration(2), (threads) => (threads === 2 ? 0.012 : 0.01)).choice.threads).toBe(1);
    expect(calibrate(new ThreadCalibration(2), () => 0.01).choice.threads).toBe(1);
    const justShort = 0.01 * (1 - REQUIRED_GAIN / 2);
    expect(calibrate(new ThreadCalibration(2), (threads) => (threads === 2 ? justShort : 0.01)).choice.threads).toBe(1);
  });

  it("leaves the warm-up's slow first steps, the first step of each turn and single outliers out of the choice", () => {
    // Two threads are faster but for the warm-up (compiling, packing), the first step after each switch (waking threads) and one step where another process took the core.
    // The first step takes a second, which does not count toward the warm-up's half second.
    const warmUp = warmUpSteps((_, step) => (step === 0 ? 1 : 0.01));
    expect(warmUp).toBe(WARM_UP);
    const settling = (step: number) => step >= warmUp && (step - warmUp) % STEPS_PER_TURN === 0;
    const seconds = (threads: number, step: number) =>
      step === 0 ? 1 : step < warmUp ? 0.01 : settling(step) ? 1 : step === warmUp + STEPS_PER_TURN - 1 ? 0.5 : threads === 2 ? 0.005 : 0.01;
    const { choice } = calibrate(new ThreadCalibration(2), seconds);
    expect(choice.threads).toBe(2);
    expect(choice.medianSeconds.get(2)).toBeCloseTo(0.005, 12);
  });

  it("keeps its choice for the steps after it, then times both counts again without a warm-up, and says what it chose before", () => {
    const calibration = new ThreadCalibration(2);
    calibrate(calibration, (threads) => (threads === 2 ? 0.009 : 0.01));
    for (let step = 0; step < RECHECK_AFTER_STEPS; step++) {
      expect(calibration.next()).toBe(2);
      expect(calibration.record(0.009)).toBeUndefined();
    }
    // The machine got busy: now one thread is faster.
    const again = calibrate(calibration, (threads) => (threads === 2 ? 0.011 : 0.01));
    expect(again.counts).toHaveLength(TIMING_STEPS);
    expect(again.choice).toMatchObject({ threads: 1, previous: 2 });
    expect(calibration.next()).toBe(1);
  });

  it("times both counts again as soon as steps on all threads grow slower than one thread was", () => {
    const calibration = new ThreadCalibration(2);
    calibrate(calibration, (threads) => (threads === 2 ? 0.005 : 0.01));
    // Slower than before, but not than one thread was: kept.
    for (let step = 0; step < 2 * WATCHED_STEPS; step++) calibration.record(0.0099);
    expect(calibration.next()).toBe(2);
    // Another process took a core: two threads now take longer than one did, which the median shows once half the watched steps do.
    for (let step = 0; step < WATCHED_STEPS / 2 - 1; step++) calibration.record(0.012);
    expect(calibration.next()).toBe(2);
    calibration.record(0.012);
    const again = calibrate(calibration, (threads) => (threads === 2 ? 0.012 : 0.01));
    expect(again.counts).toHaveLength(TIMING_STEPS);
    expect(again.choice).toMatchObject({ threads: 1, previous: 2 });
  });

  it("keeps one thread, once chosen, however its steps vary, until the recheck", () => {
    const calibration = new ThreadCalibration(2);
    calibrate(calibration, (threads) => (threads === 2 ? 0.012 : 0.01));
    for (let step = 0; step < RECHECK_AFTER_STEPS - 1; step++) {
      calibration.record(0.05);
      expect(calibration.next()).toBe(1);
    }
    calibration.record(0.05);
    expect(calibration.next()).toBe(2);
  });
});
