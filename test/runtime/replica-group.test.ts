import { Worker } from "node:worker_threads";
import { afterAll, describe, expect, it } from "vitest";
import { ReplicaGroup, sumSlots } from "../../src/runtime/parallel/replica-group.js";
import { seededRandom } from "../support/random.js";

/**
 * The exchange replicas sum their contributions through: each replica sums
 * its part of the values (a reduce-scatter), and the result must be what
 * summing every value in rank order gives, bit for bit, so that a run's
 * numbers do not depend on how the work is split.
 */

/** Every value summed in rank order, one slot after another, rounded to float32 after each: the sum replicas have always agreed on. */
function sumInRankOrder(slots: readonly Float32Array[], shares: readonly number[], weighted: number): Float32Array {
  const sum = new Float32Array(slots[0]!.length);
  for (let i = 0; i < sum.length; i++) {
    const weight = (rank: number) => (i < weighted ? shares[rank]! : 1);
    let value = Math.fround(weight(0) * slots[0]![i]! + weight(1) * slots[1]![i]!);
    for (let rank = 2; rank < slots.length; rank++) value = Math.fround(value + weight(rank) * slots[rank]![i]!);
    sum[i] = value;
  }
  return sum;
}

/** Values of every magnitude and sign, some shared by all slots, so that rounding differs between orders. */
function randomSlots(random: () => number, count: number, length: number): Float32Array[] {
  const common = Float32Array.from({ length }, () => (random() - 0.5) * 10 ** Math.floor(random() * 8 - 4));
  return Array.from({ length: count }, () => Float32Array.from(common, (value) => (random() < 0.2 ? value : (random() - 0.5) * 10 ** Math.floor(random() * 8 - 4))));
}

describe("the sum of replicas' slots", () => {
  it.each([2, 3, 4])("with %i replicas, summed part by part, is the rank-order sum bit for bit", (size) => {
    const random = seededRandom(size);
    const group = ReplicaGroup.create(size);
    for (const [length, rows] of [[1, 7], [1_001, 33], [40_000, 64]] as const) {
      const slots = randomSlots(random, size, length);
      const shares = group.shares(rows);
      const weighted = Math.floor(length * 0.9);
      const byParts = new Float32Array(length);
      for (let rank = 0; rank < size; rank++) sumSlots(byParts, slots, shares, weighted, ...group.range(length, rank));
      expect(byParts).toEqual(sumInRankOrder(slots, shares, weighted));
    }
  });

  it("where both replicas hold the same value and shares add to one, is that value", () => {
    const value = Float32Array.from(randomSlots(seededRandom(9), 1, 5_000)[0]!);
    const result = new Float32Array(value.length);
    sumSlots(result, [value, value], ReplicaGroup.create(2).shares(64), value.length, 0, value.length);
    expect(result).toEqual(value);
  });
});

/**
 * A worker thread running the TypeScript module at `url` (tsx registered in
 * it first, as tests import TypeScript) with `workerData`.
 */
function typeScriptWorker(url: URL, workerData: unknown): Worker {
  const tsx = new URL("../../node_modules/tsx/dist/esm/api/index.mjs", import.meta.url).href;
  const script = `const { register } = await import(${JSON.stringify(tsx)}); register(); await import(${JSON.stringify(url.href)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(script)}`), { workerData });
}

describe("replicas in threads", () => {
  const workers: Worker[] = [];
  afterAll(() => Promise.all(workers.map((worker) => worker.terminate())));

  it("each get the rank-order sum, exchange after exchange, as the number of values changes", async () => {
    const size = 3;
    const group = ReplicaGroup.create(size);
    const random = seededRandom(3);
    const exchanges = [2_000, 2_000, 17, 30_000, 30_000, 5].map((length) => ({
      slots: randomSlots(random, size, length),
      weighted: length - 3,
      shares: group.shares(size * 11 + 1),
    }));
    const answers = Array.from({ length: size }, (_, rank) => {
      const worker = typeScriptWorker(new URL("../support/replica-group-member.ts", import.meta.url), {
        membership: group.memberOf(rank),
        exchanges: exchanges.map(({ slots, weighted, shares }) => ({ values: slots[rank], weighted, shares })),
      });
      workers.push(worker);
      return new Promise<Float32Array[]>((resolve, reject) => {
        worker.once("message", resolve);
        worker.once("error", reject);
      });
    });
    const expected = exchanges.map(({ slots, weighted, shares }) => sumInRankOrder(slots, shares, weighted));
    for (const sums of await Promise.all(answers)) expect(sums).toEqual(expected);
  }, 30_000);
});
