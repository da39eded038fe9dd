/**
 * The default thread count, chosen by timing the training steps
 * themselves: whether splitting each kernel across every core beats one
 * thread depends on the model (small kernels lose more to handing work to
 * another thread than they gain) and on what else the machine runs (a
 * thread that waits for a busy core holds up every kernel). Threads never
 * change the numbers, so steps at either count train the same model;
 * after a warm-up, the first steps alternate between the two, a turn of
 * two steps at a time of which the second is timed (the first after a
 * switch wakes the threads the other count left asleep, which steady
 * training does not do), and the faster count takes the rest. The choice
 * is made again as the load changes: as soon as steps on all threads grow
 * slower than one thread was (another process took a core, and every
 * split kernel waits for it), and every {@link RECHECK_AFTER_STEPS} steps
 * in any case (the machine may have become free).
 */

/**
 * Steps taken before timing, alternating between the counts: at least
 * this many, and for at least {@link WARM_UP_SECONDS} after the first.
 * The first steps of a run pay for set-up (packing, compiling) that later
 * ones do not, and while V8 still compiles the run's code on a thread of
 * its own, that thread takes the core all threads would use.
 */
export const WARM_UP_STEPS = 2;
export const WARM_UP_SECONDS = 0.5;
/** Rounds of one turn at each count, in alternating order so that a drift in load affects both alike. */
export const TIMED_ROUNDS = 6;
/** Steps a count takes in a row while timed; only the last is timed. */
export const STEPS_PER_TURN = 2;
/**
 * After this many rounds, the timing ends early when every step at one
 * count took longer than every step at the other by {@link DECISIVE_RATIO}:
 * a busy machine makes all threads several times slower, and the steps
 * spent proving it are steps lost.
 */
export const DECISIVE_ROUNDS = 2;
export const DECISIVE_RATIO = 1.25;
/** More threads are kept only when their median step is at least this much shorter: a tie leaves the cores to others. */
export const REQUIRED_GAIN = 0.03;
/** Steps after a choice before the counts are timed again. */
export const RECHECK_AFTER_STEPS = 500;
/** Steps at all threads, once chosen, watched together: once their median is longer than one thread's was, both are timed again. */
export const WATCHED_STEPS = 16;

/** What the timing found: the count chosen, and the median step time of each count, in seconds. */
export interface ThreadChoice {
  threads: number;
  medianSeconds: ReadonlyMap<number, number>;
  /** The count chosen by the timing before, if any. */
  previous: number | undefined;
}

/** One thread against `most`, timed over the steps of a run: which count the next step takes, and the step times that decide it. */
export class ThreadCalibration {
  /** The count of each step while timing, and whether its time counts. */
  private readonly schedule: ReadonlyArray<{ threads: number; timed: boolean }>;
  private readonly seconds = new Map<number, number[]>();
  /** Steps and seconds of the warm-up so far; undefined once it is over. */
  private warmUp: { steps: number; seconds: number } | undefined = { steps: 0, seconds: 0 };
  private position = 0;
  private chosen: number | undefined;
  private medianSeconds = new Map<number, number>();
  private stepsSinceChoice = 0;
  /** The last {@link WATCHED_STEPS} step times at the chosen count. */
  private watched: number[] = [];

  constructor(readonly most: number) {
    const rounds = Array.from({ length: TIMED_ROUNDS }, (_, round) => (round % 2 === 0 ? [most, 1] : [1, most]));
    const turn = (threads: number) => Array.from({ length: STEPS_PER_TURN }, (_, step) => ({ threads, timed: step === STEPS_PER_TURN - 1 }));
    this.schedule = rounds.flat().flatMap(turn);
  }


  /** The thread count the next step takes. */
  next(): number {
    if (this.warmUp) return this.warmUp.steps % 2 === 0 ? this.most : 1;
    return this.measuring ? this.schedule[this.position]!.threads : this.chosen!;
  }

  /** Records the step just taken at {@link next}'s count; returns the choice when this step completes a timing. */
  record(stepSeconds: number): ThreadChoice | undefined {
    if (this.warmUp) {
      // The first step's set-up (packing, compiling its kernels) says nothing of how long V8 goes on compiling.
      if (this.warmUp.steps++ > 0) this.warmUp.seconds += stepSeconds;
      if (this.warmUp.steps >= WARM_UP_STEPS && this.warmUp.seconds >= WARM_UP_SECONDS) this.warmUp = undefined;
      return undefined;
    }
    if (!this.measuring) {
      if (this.chosen !== 1) this.watched = [...this.watched.slice(1 - WATCHED_STEPS), stepSeconds];
      if (++this.stepsSinceChoice >= RECHECK_AFTER_STEPS || this.slowerThanOneThread()) this.restart();
      return undefined;
    }
    const { threads, timed } = this.schedule[this.position]!;
    if (timed) this.seconds.set(threads, [...(this.seconds.get(threads) ?? []), stepSeconds]);
    if (++this.position < this.schedule.length && !(timed && this.decisive())) return undefined;
    this.position = this.schedule.length;
    const medianSeconds = new Map([...this.seconds].map(([count, times]) => [count, median(times)]));
    const previous = this.chosen;
    this.chosen = medianSeconds.get(this.most)! < (1 - REQUIRED_GAIN) * medianSeconds.get(1)! ? this.most : 1;
    this.medianSeconds = medianSeconds;
    this.stepsSinceChoice = 0;
    this.watched = [];
    return { threads: this.chosen, medianSeconds, previous };
  }

  private get measuring(): boolean {
    return this.position < this.schedule.length;
  }

  /** Whether whole rounds, at least {@link DECISIVE_ROUNDS}, have been timed and one count's steps all took {@link DECISIVE_RATIO} times as long as the other's, or longer. */
  private decisive(): boolean {
    const [many, one] = [this.seconds.get(this.most) ?? [], this.seconds.get(1) ?? []];
    if (many.length < DECISIVE_ROUNDS || many.length !== one.length) return false;
    return Math.min(...many) > DECISIVE_RATIO * Math.max(...one) || Math.min(...one) > DECISIVE_RATIO * Math.max(...many);
  }

  /** Whether all threads were chosen and the watched steps' median is now longer than one thread's was. */
  private slowerThanOneThread(): boolean {
    return this.chosen !== 1 && this.watched.length === WATCHED_STEPS && median(this.watched) > this.medianSeconds.get(1)!;
  }

  /** Times both counts again, without the warm-up, which a running model no longer needs. */
  private restart(): void {
    this.position = 0;
    this.seconds.clear();
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
