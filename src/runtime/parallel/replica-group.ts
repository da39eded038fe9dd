/**
 * Data-parallel training: replicas of one model, each in a thread of its
 * own with its own backend, that together take each step. Every replica
 * computes its share of a batch and writes the result into its slot of
 * shared memory; after a barrier each one sums its part of the values over
 * every slot, in rank order, into a shared result (a reduce-scatter: no
 * value is summed twice), and after a second barrier all read the whole
 * result. So all replicas get the same sum, bit for bit, and apply the same
 * update: weights never travel, and the numbers depend only on the seed and
 * the number of replicas.
 */

/** Control words: a barrier (arrivals, generation) and why the group ended early, if it did. */
const ARRIVED = 0;
const GENERATION = 1;
const ENDED = 2;
const CONTROL_WORDS = 3;
/** `ENDED` holds 0 while training goes on, 1 once rank 0 stopped, 2 + rank when a replica failed. */
const ENDED_BY_RANK_0 = 1;
const FAILED_BASE = 2;
/** How long a waiting replica sleeps between looks at `ENDED` (ms): a replica's failure ends every wait within it. */
const WAIT_SLICE_MS = 250;
/** Address space a group's exchange buffer may grow to; only what a model needs is ever committed. */
const MAX_EXCHANGE_BYTES = 2 ** 31;

/** ES2024's growable SharedArrayBuffer (Node 20 has it; the TypeScript lib in use predates it). */
type GrowableSharedArrayBuffer = new (bytes: number, options: { maxByteLength: number }) => SharedArrayBuffer;

/** What a replica's thread is given to join its group: structured-cloneable. */
export interface ReplicaMembership {
  rank: number;
  size: number;
  control: SharedArrayBuffer;
  exchange: SharedArrayBuffer;
}

/** The group stopped (rank 0 ended training: finished, interrupted, diverged): a replica's signal to end quietly. */
export class ReplicaGroupEnded extends Error {
  constructor() {
    super("training ended in the replica that owns the run");
    this.name = "ReplicaGroupEnded";
  }
}

/** A replica other than rank 0 failed where rank 0 did not; its error, if unexpected, was written to stderr. */
export class ReplicaFailed extends Error {
  constructor(rank: number) {
    super(`training replica ${rank + 1} failed; --replicas 1 trains without replicas`);
    this.name = "ReplicaFailed";
  }
}

export class ReplicaGroup {
  private readonly control: Int32Array;
  /** Values per slot in the current layout of the exchange buffer: every slot, then the result. */
  private length = 0;

  private constructor(private readonly membership: ReplicaMembership) {
    this.control = new Int32Array(membership.control);
  }

  /** A new group of `size` replicas, as rank 0 sees it. */
  static create(size: number): ReplicaGroup {
    const control = new SharedArrayBuffer(CONTROL_WORDS * Int32Array.BYTES_PER_ELEMENT);
    const exchange = new (SharedArrayBuffer as GrowableSharedArrayBuffer)(0, { maxByteLength: MAX_EXCHANGE_BYTES });
    return new ReplicaGroup({ rank: 0, size, control, exchange });
  }

  /** The group as the replica given `membership` sees it. */
  static join(membership: ReplicaMembership): ReplicaGroup {
    return new ReplicaGroup(membership);
  }

  get rank(): number {
    return this.membership.rank;
  }

  get size(): number {
    return this.membership.size;
  }

  /** What the replica of `rank` needs to join. */
  memberOf(rank: number): ReplicaMembership {
    return { ...this.membership, rank };
  }

  /** Rows [start, end) of a batch of `rows` that replica `rank` takes: contiguous, sizes differing by at most one. */
  range(rows: number, rank = this.rank): [number, number] {
    return [Math.floor((rank * rows) / this.size), Math.floor(((rank + 1) * rows) / this.size)];
  }

  /** Each replica's share of a batch of `rows`, in rank order: what its mean-loss gradient weighs in the sum. */
  shares(rows: number): number[] {
    return Array.from({ length: this.size }, (_, rank) => {
      const [start, end] = this.range(rows, rank);
      return (end - start) / rows;
    });
  }

  /** This replica's slot for the next exchange, `length` values to fill before {@link allReduce}. */
  slot(length: number): Float32Array {
    if (length !== this.length) this.relayout(length);
    return this.view(this.rank);
  }

  /**
   * Waits for every replica's slot, then sums them in rank order: the first
   * `weighted` values of each slot times its share (`shares`), the rest as
   * they are. Each replica sums its own part of the values (`range`) for
   * all, in the same order for every value, so all get the same numbers;
   * with two replicas the sum is rounded once, so a value both agree on
   * comes back unchanged. The result is shared: read it before the next
   * exchange. A replica may write its next slot while a slower one still
   * reads the result, as slots and result do not overlap; the result is
   * written again only once every replica has arrived at the next exchange.
   */
  allReduce(weighted: number, shares: readonly number[]): Float32Array {
    const slots = shares.map((_, rank) => this.view(rank));
    const result = this.view(this.size);
    const [start, end] = this.range(this.length);
    this.barrier();
    sumSlots(result, slots, shares, weighted, start, end);
    this.barrier();
    return result;
  }

  /** Ends the group early: every replica waiting (or about to wait) stops. Rank 0 calls it when training stops; a replica when it fails. */
  end(): void {
    Atomics.compareExchange(this.control, ENDED, 0, this.rank === 0 ? ENDED_BY_RANK_0 : FAILED_BASE + this.rank);
    Atomics.notify(this.control, GENERATION);
  }

  /** Slot `index` of the current layout (index `size` is the result). */
  private view(index: number): Float32Array {
    return new Float32Array(this.membership.exchange, index * this.length * Float32Array.BYTES_PER_ELEMENT, this.length);
  }

  /**
   * Lays the buffer out for slots of `length` values. Every replica asks for
   * the same length at the same exchange; the barrier lets a slower replica
   * finish reading the last result before a new slot may cover it, and
   * whichever grows the buffer first, the others find it grown.
   */
  private relayout(length: number): void {
    if (this.length !== 0) this.barrier();
    const needed = (this.size + 1) * length * Float32Array.BYTES_PER_ELEMENT;
    const exchange = this.membership.exchange as SharedArrayBuffer & { grow(bytes: number): void };
    if (exchange.byteLength < needed) exchange.grow(needed);
    this.length = length;
  }

  /** Waits until every replica has arrived; throws when the group has ended meanwhile. */
  private barrier(): void {
    const control = this.control;
    const generation = Atomics.load(control, GENERATION);
    if (Atomics.add(control, ARRIVED, 1) === this.size - 1) {
      Atomics.store(control, ARRIVED, 0);
      Atomics.add(control, GENERATION, 1);
      Atomics.notify(control, GENERATION);
      return;
    }
    while (Atomics.load(control, GENERATION) === generation) {
      const ended = Atomics.load(control, ENDED);
      if (ended !== 0) throw this.rank === 0 && ended >= FAILED_BASE ? new ReplicaFailed(ended - FAILED_BASE) : new ReplicaGroupEnded();
      Atomics.wait(control, GENERATION, generation, WAIT_SLICE_MS);
    }
  }
}

/**
 * `result[i]` for i in [start, end): the slots summed in rank order, each of
 * the first `weighted` values times its slot's share, in doubles rounded
 * once per added slot.
 */
export function sumSlots(result: Float32Array, slots: readonly Float32Array[], shares: readonly number[], weighted: number, start: number, end: number): void {
  const ones = shares.map(() => 1);
  for (const [from, to, weights] of [[start, Math.min(end, weighted), shares], [Math.max(start, weighted), end, ones]] as const) {
    if (from >= to) continue;
    addScaled(result, slots[0]!, weights[0]!, slots[1]!, weights[1]!, from, to);
    for (let rank = 2; rank < slots.length; rank++) addScaled(result, result, 1, slots[rank]!, weights[rank]!, from, to);
  }
}

/**
 * `into[i] = a·x[i] + b·y[i]` over [start, end), in doubles rounded once.
 * Two operands at a time, since a loop of fixed shape is several times
 * faster than one over a list of slots.
 */
function addScaled(into: Float32Array, x: Float32Array, a: number, y: Float32Array, b: number, start: number, end: number): void {
  for (let i = start; i < end; i++) into[i] = a * x[i]! + b * y[i]!;
}

/** The exit word a failed replica's thread sets from outside the runtime (its start-up script), and where. */
export const REPLICA_FAILURE = { word: ENDED, base: FAILED_BASE, wake: GENERATION } as const;
