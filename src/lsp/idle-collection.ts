import { getHeapStatistics, setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

export type Collect = (kind: "minor" | "major") => void;

/** How far the heap may grow past what the last whole collection left, at least, before the next one. */
const MIN_GROWTH_BYTES = 32 * 1024 * 1024;
/**
 * The most the heap may hold for a whole collection at idle. One is a
 * pause in proportion to what is alive, and a keystroke that comes during
 * it waits; past this (a document of tens of thousands of lines) the
 * engine's own collection, which marks alongside the server and pauses
 * briefly, is the better one.
 */
const MAX_IDLE_MAJOR_BYTES = 128 * 1024 * 1024;

/**
 * How long the user must be quiet before a whole collection: longer than
 * for the young generation, as it pauses longer, and a client that pulls
 * diagnostics (VS Code does) has the server check on most keystrokes, so
 * only a real pause in typing leaves room for it.
 */
const WHOLE_HEAP_QUIET_MS = 1_000;

/**
 * Garbage collected while the server waits for the user, not while the
 * user waits for the server. A check after an edit allocates megabytes (the
 * blocks it moved copied, the blocks it bound again bound anew) and keeps
 * most of it until the next check; left to the engine, a collection falls
 * inside every second or third check and copies what that check has built
 * so far, adding about a check's own time to it.
 *
 * So once a check has run, the server collects the young generation when
 * the user has been quiet for `quietMs`, and the whole heap after a longer
 * quiet spell once it has grown well past what the last whole collection
 * left (while the heap is small enough for that to be quick). Each edit
 * restarts both waits. Pushed diagnostics wait longer for typing to pause
 * (see diagnostics.ts), so the young generation's collection falls inside
 * that pause and the next check starts with room for all it allocates.
 */
export class IdleCollection {
  private readonly young: QuietWait;
  private readonly whole: QuietWait;
  private liveAfterMajor: number;

  constructor(
    private readonly collect: Collect,
    quietMs: number,
    private readonly heapUsed: () => number = () => getHeapStatistics().used_heap_size,
  ) {
    this.liveAfterMajor = heapUsed();
    this.young = new QuietWait(quietMs, () => this.collect("minor"));
    this.whole = new QuietWait(WHOLE_HEAP_QUIET_MS, () => this.collectWholeIfGrown());
  }

  /** A check just ran: collect after the next quiet spells. */
  afterCheck(): void {
    this.young.start();
    this.whole.start();
  }

  /** The user edited: collections due wait until they are quiet again. */
  edited(): void {
    this.young.restart();
    this.whole.restart();
  }

  private collectWholeIfGrown(): void {
    const used = this.heapUsed();
    if (used > MAX_IDLE_MAJOR_BYTES || used - this.liveAfterMajor < Math.max(MIN_GROWTH_BYTES, this.liveAfterMajor / 2)) return;
    this.collect("major");
    this.liveAfterMajor = this.heapUsed();
  }
}

/** Runs `then` once `ms` have passed since it was started or last restarted; restarting does nothing when it is not due. */
class QuietWait {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ms: number,
    private readonly then: () => void,
  ) {}

  start(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.then();
    }, this.ms);
    // A pending collection never keeps the process alive.
    this.timer.unref();
  }

  restart(): void {
    if (this.timer !== undefined) this.start();
  }
}

/**
 * The engine's own collector, which Node.js leaves out of reach unless
 * started with `--expose-gc`: the flag set now holds for contexts made
 * after it, so a new context hands its `gc` over. Found on first use, so a
 * server's start does not wait for it; where the engine refuses, collection
 * is left to the engine.
 */
export function engineCollector(find: () => EngineGc | undefined = findEngineCollector): Collect {
  let looked = false;
  let gc: EngineGc | undefined;
  return (kind) => {
    if (!looked) {
      looked = true;
      gc = find();
    }
    // With no options the engine collects the whole heap (an options object with `type: "major"` collects only the young generation on Node.js 20).
    if (kind === "minor") gc?.({ type: "minor" });
    else gc?.();
  };
}

export type EngineGc = (options?: { type: "minor" }) => unknown;

function findEngineCollector(): EngineGc | undefined {
  try {
    setFlagsFromString("--expose-gc");
    const gc: unknown = runInNewContext("typeof gc === 'function' ? gc : undefined");
    return typeof gc === "function" ? (gc as EngineGc) : undefined;
  } catch {
    return undefined;
  }
}
