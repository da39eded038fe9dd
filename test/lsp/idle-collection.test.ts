import { constants, PerformanceObserver } from "node:perf_hooks";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { engineCollector, IdleCollection } from "../../src/lsp/idle-collection.js";

const QUIET_MS = 75;
/** The quiet spell a whole collection waits for (idle-collection.ts). */
const LONG_QUIET_MS = 1_000;
const MB = 1024 * 1024;

describe("collection while the server is idle", () => {
  let collected: string[];
  let heap: number;
  const idleCollection = () => new IdleCollection((kind) => collected.push(kind), QUIET_MS, () => heap);

  beforeEach(() => {
    vi.useFakeTimers();
    collected = [];
    heap = 20 * MB;
  });
  afterEach(() => vi.useRealTimers());

  it("collects the young generation once the user has been quiet after a check, and only then", () => {
    const idle = idleCollection();
    idle.afterCheck();
    vi.advanceTimersByTime(QUIET_MS - 1);
    expect(collected).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(collected).toEqual(["minor"]);
    vi.advanceTimersByTime(10 * LONG_QUIET_MS);
    expect(collected).toEqual(["minor"]);
  });

  it("waits while the user keeps editing, and collects once for several checks", () => {
    const idle = idleCollection();
    idle.afterCheck();
    idle.afterCheck();
    for (let i = 0; i < 5; i++) {
      vi.advanceTimersByTime(QUIET_MS / 2);
      idle.edited();
    }
    expect(collected).toEqual([]);
    vi.advanceTimersByTime(QUIET_MS);
    expect(collected).toEqual(["minor"]);
  });

  it("does nothing for edits when no check ran since the last collection", () => {
    const idle = idleCollection();
    idle.edited();
    vi.advanceTimersByTime(10 * LONG_QUIET_MS);
    expect(collected).toEqual([]);
  });

  it.each([
    { case: "a small heap, by at least 32 MB", live: 20, below: 31 },
    { case: "a larger heap, by at least half of it", live: 70, below: 34 },
  ])("collects the whole heap once it has grown well past what the last whole collection left: $case", ({ live, below }) => {
    heap = live * MB;
    const idle = idleCollection();
    const checkAfterGrowth = (growth: number) => {
      heap += growth * MB;
      idle.afterCheck();
      vi.advanceTimersByTime(LONG_QUIET_MS);
    };
    checkAfterGrowth(below);
    expect(collected).toEqual(["minor"]);
    checkAfterGrowth(2);
    expect(collected).toEqual(["minor", "minor", "major"]);
  });

  it("waits for a longer quiet spell before a whole collection, restarted by each edit", () => {
    const idle = idleCollection();
    heap += 40 * MB;
    idle.afterCheck();
    vi.advanceTimersByTime(LONG_QUIET_MS - 1);
    expect(collected).toEqual(["minor"]);
    idle.edited();
    vi.advanceTimersByTime(LONG_QUIET_MS - 1);
    expect(collected).toEqual(["minor"]);
    vi.advanceTimersByTime(1);
    expect(collected).toEqual(["minor", "major"]);
  });

  it("leaves a large heap's whole collections to the engine", () => {
    heap = 200 * MB;
    const idle = idleCollection();
    heap += 150 * MB;
    idle.afterCheck();
    vi.advanceTimersByTime(LONG_QUIET_MS);
    expect(collected).toEqual(["minor"]);
  });
});

describe("the engine's collector", () => {
  it("runs the kind of collection asked for", async () => {
    const collect = engineCollector();
    for (const [kind, expected] of [
      ["minor", constants.NODE_PERFORMANCE_GC_MINOR],
      ["major", constants.NODE_PERFORMANCE_GC_MAJOR],
    ] as const) {
      const seen = new Promise<number[]>((resolve) => {
        const observer = new PerformanceObserver((list) => {
          observer.disconnect();
          resolve(list.getEntries().map((entry) => (entry as unknown as { detail: { kind: number } }).detail.kind));
        });
        observer.observe({ entryTypes: ["gc"] });
      });
      collect(kind);
      expect(await seen).toContain(expected);
    }
  });

  it("looks for the engine's collector once, and leaves collection to the engine where there is none", () => {
    const find = vi.fn(() => undefined);
    const collect = engineCollector(find);
    collect("minor");
    collect("major");
    expect(find).toHaveBeenCalledTimes(1);
  });

  it("frees what nothing holds", async () => {
    const ref = new WeakRef({ payload: new Array(1000).fill(0) });
    // An object stays alive until the job that made it ends.
    await new Promise((resolve) => setImmediate(resolve));
    engineCollector()("major");
    expect(ref.deref()).toBeUndefined();
  });
});
