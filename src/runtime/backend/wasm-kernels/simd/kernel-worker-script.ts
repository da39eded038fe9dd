/**
 * What the calling thread and the kernel workers share: the words of the
 * control block (an Int32Array on a SharedArrayBuffer) and the workers'
 * own code, run with `eval` in each worker_threads Worker.
 *
 * CLAIM holds the job's sequence number times CHUNK_LIMIT plus the next
 * chunk to take; the calling thread takes chunks with Atomics.add and the
 * workers with compareExchange, only while the sequence number is the one
 * they were woken for and chunks are left. A claimed chunk holds its job
 * open (the calling thread waits for every claimed chunk to be counted in
 * FINISHED), and the calling thread closes the job (CLAIM = CLOSED) before
 * it writes the next one's words. So a worker's claim succeeds only while
 * its job is open, after it read that job's chunk count, and it reads the
 * job's other words after its claim: even if the sequence number wrapped
 * around while it was away, what it reads is the job its chunk belongs to.
 */
export const CLAIM = 0;
/** CLAIM between jobs: no sequence number matches it. */
export const CLOSED = -1;
export const FINISHED = 1;
export const WAKE = 2;
export const FUNCTION = 3;
export const CHUNKS = 4;
export const CHUNK_SIZE = 5;
export const TOTAL = 6;
export const FIXED_COUNT = 7;
export const FAILED = 8;
/** Chunks workers have computed, all jobs together: whether they help at all. */
export const WORKER_CHUNKS = 9;
/** Workers asleep on WAKE: the calling thread notifies them only when there is one, as a notification costs tens of microseconds. */
export const SLEEPING = 10;
/** 1 while the calling thread sleeps on FINISHED, so that the worker finishing the last chunk knows to notify it. */
export const CALLER_WAITING = 11;
export const FIXED = 12;
export const MAX_FIXED = 16;
export const CONTROL_WORDS = FIXED + MAX_FIXED;
export const CHUNK_LIMIT = 1 << 16;
/** Claims past the last chunk (at most one per thread) must not reach the sequence number's bits. */
export const MAX_CHUNKS = CHUNK_LIMIT - 1024;
/** Sequence numbers wrap below this, so that CLAIM stays a positive int32. */
export const SEQUENCE_LIMIT = 1 << 15;

/**
 * How long a worker stays awake after a job, waiting for the next (ms):
 * about the gap between a dense layer's split products in a training step,
 * which it then joins without a wake-up. Longer, it would keep a core from
 * XNNPACK's pool threads, which a conv net's convolutions run on.
 */
export const WORKER_SPIN_MS = 0.1;

/**
 * A worker: waits for a job, awake a while and then asleep, then claims
 * and computes chunks until none is left. Its functions come by message, numbered, each sent
 * before the first job that calls it; one that cannot be made fails every
 * chunk of it, which the calling thread reports.
 */
export const WORKER_SCRIPT = `
const { workerData, receiveMessageOnPort } = require("node:worker_threads");
const { memory, control: c, port } = workerData;
const functions = [];
function functionNumbered(index) {
  for (let tries = 0; functions[index] === undefined; tries++) {
    const received = receiveMessageOnPort(port);
    if (received === undefined) {
      if (tries > 100000) return null;
      continue;
    }
    const { index: at, module, functionName } = received.message;
    try {
      const made = new WebAssembly.Instance(module, { env: { memory } }).exports[functionName];
      functions[at] = typeof made === "function" ? made : null;
    } catch {
      functions[at] = null;
    }
  }
  return functions[index];
}
let seen = Atomics.load(c, ${WAKE});
for (;;) {
  // A training step's next split kernel is usually microseconds away: waiting awake for it saves a wake-up each.
  const until = performance.now() + ${WORKER_SPIN_MS};
  for (let spins = 1; Atomics.load(c, ${WAKE}) === seen; spins++) {
    if (spins % 1024 !== 0 || performance.now() < until) continue;
    Atomics.add(c, ${SLEEPING}, 1);
    Atomics.wait(c, ${WAKE}, seen);
    Atomics.sub(c, ${SLEEPING}, 1);
  }
  seen = Atomics.load(c, ${WAKE});
  for (;;) {
    const claim = Atomics.load(c, ${CLAIM});
    if (Math.floor(claim / ${CHUNK_LIMIT}) !== seen) break;
    const chunk = claim % ${CHUNK_LIMIT};
    if (chunk >= Atomics.load(c, ${CHUNKS})) break;
    if (Atomics.compareExchange(c, ${CLAIM}, claim, claim + 1) !== claim) continue;
    const chunks = c[${CHUNKS}];
    if (chunk >= chunks) continue;
    const chunkSize = c[${CHUNK_SIZE}];
    const total = c[${TOTAL}];
    const fixed = Array.from(c.subarray(${FIXED}, ${FIXED} + c[${FIXED_COUNT}]));
    try {
      const fn = functionNumbered(c[${FUNCTION}]);
      if (fn === null) throw new Error("no such function");
      const from = chunk * chunkSize;
      fn(...fixed, from, Math.min(total, from + chunkSize));
      Atomics.add(c, ${WORKER_CHUNKS}, 1);
    } catch {
      Atomics.store(c, ${FAILED}, 1);
    }
    if (Atomics.add(c, ${FINISHED}, 1) + 1 === chunks && Atomics.load(c, ${CALLER_WAITING}) !== 0) Atomics.notify(c, ${FINISHED});
  }
}
`;
