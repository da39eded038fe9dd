/**
 * Data-parallel training: replicas of one model, each in a thread of its
 * own with its own backend, that together take each step. Every replica
 * computes its share of a batch and writes the result into its slot of
 * shared memory; after a barrier each one sums every slot in rank order, so
 * all replicas get the same sum, bit for bit, and apply the same update:
 * weights never travel, and the numbers depend only on the seed and the
 * number of replicas.
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
  private exchanges = 0;
  private result = new Float32Array(0);

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
    const needed = 2 * this.size * length * Float32Array.BYTES_PER_ELEMENT;
    // Every replica asks for the same size; whichever grows the buffer first, the others find it grown.
    const exchange = this.membership.exchange as SharedArrayBuffer & { grow(bytes: number): void };
    if (exchange.byteLength < needed) exchange.grow(needed);
    if (this.result.length !== length) this.result = new Float32Array(length);
    return new Float32Array(this.membership.exchange, this.slotOffset(this.rank, length), length);
  }

  /**
   * Waits for every replica's slot, then sums them in rank order: the first
   * `weighted` values of each slot times its share (`shares`), the rest as
   * they are. Every replica adds in the same order, so all get the same
   * numbers; with two replicas the sum is rounded once, so a value both
   * agree on comes back unchanged. Exchanges alternate between two sets of slots, so a replica
   * may write its next slot while a slower one still reads this set.
   */
  allReduce(weighted: number, shares: readonly number[]): Float32Array {
    const length = this.result.length;
    this.barrier();
    const slots = shares.map((_, rank) => new Float32Array(this.membership.exchange, this.slotOffset(rank, length), length));
    const result = this.result;
    const ones = shares.map(() => 1);
    for (const [start, end, weights] of [[0, weighted, shares], [weighted, length, ones]] as const) {
      addScaled(result, slots[0]!, weights[0]!, slots[1]!, weights[1]!, start, end);
      for (let rank = 2; rank < slots.length; rank++) addScaled(result, result, 1, slots[rank]!, weights[rank]!, start, end);
    }
    this.exchanges++;
    return result;
  }

  /** Ends the group early: every replica waiting (or about to wait) stops. Rank 0 calls it when training stops; a replica when it fails. */
  end(): void {
    Atomics.compareExchange(this.control, ENDED, 0, this.rank === 0 ? ENDED_BY_RANK_0 : FAILED_BASE + this.rank);
    Atomics.notify(this.control, GENERATION);
  }

  private slotOffset(rank: number, length: number): number {
    return ((this.exchanges % 2) * this.size + rank) * length * Float32Array.BYTES_PER_ELEMENT;
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
 * `into[i] = a·x[i] + b·y[i]` over [start, end), in doubles rounded once.
 * Two operands at a time, since a loop of fixed shape is several times
 * faster than one over a list of slots.
 */
function addScaled(into: Float32Array, x: Float32Array, a: number, y: Float32Array, b: number, start: number, end: number): void {
  for (let i = start; i < end; i++) into[i] = a * x[i]! + b * y[i]!;
}

/** The exit word a failed replica's thread sets from outside the runtime (its start-up script), and where. */
export const REPLICA_FAILURE = { word: ENDED, base: FAILED_BASE, wake: GENERATION } as const;
