import { ThreadCalibration, type ThreadChoice } from "../backend/thread-choice.js";
import type { ThreadPools } from "../backend/thread-pools.js";

/**
 * The threads each training step of a run computes with, when none were
 * asked for: the steps are timed at one thread and at all of them, and the
 * faster count is kept (thread-choice.ts). `onChoice` hears every choice.
 */
export class StepThreads {
  private readonly calibration: ThreadCalibration;

  constructor(
    private readonly pools: ThreadPools,
    private readonly onChoice: (choice: ThreadChoice) => void,
  ) {
    this.calibration = new ThreadCalibration(pools.most);
  }

  /** Takes one step with the threads the calibration gives it, and times it. */
  run<T>(step: () => T): T {
    this.pools.use(this.calibration.next());
    const started = performance.now();
    const result = step();
    const choice = this.calibration.record((performance.now() - started) / 1000);
    if (choice) {
      this.pools.use(choice.threads);
      this.onChoice(choice);
    }
    return result;
  }
}
