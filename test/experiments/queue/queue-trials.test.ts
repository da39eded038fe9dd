import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Queue } from "bullmq";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { executeTrial } from "../../../src/experiments/execute-trial.js";
import { FolderBlobStore } from "../../../src/experiments/folder-blob-store.js";
import { connectRedis } from "../../../src/experiments/queue/connect.js";
import { TRIAL_QUEUE } from "../../../src/experiments/queue/keys.js";
import { QueueEngine } from "../../../src/experiments/queue/queue-engine.js";
import { parseRedisUrl } from "../../../src/experiments/queue/redis-url.js";
import { shipSpecFiles } from "../../../src/experiments/spec-files.js";
import type { TrialJob, TrialResult } from "../../../src/experiments/trial.js";
import { ROOT } from "../../e2e/support.js";
import { startRedis, type TestRedis } from "../../support/redis-server.js";
import { count, startWorker, type WorkerProcess } from "./support.js";

/**
 * Trials through BullMQ on a real redis-server, run by real `regc worker`
 * processes that share no files with the coordinator: the same metrics as
 * on this machine, a worker killed mid-trial, a run that finishes after it
 * lost its trial, and a coordinator restarted.
 */

const LOCK_SECONDS = "1";
const scratch = mkdtempSync(join(ROOT, ".scratch-queue-"));
const source = new FolderBlobStore(join(scratch, "blobs"));
const workers: WorkerProcess[] = [];
let redis: TestRedis;
let url: string;
let local: Map<number, TrialResult>;

const SPEC = `data cars {
  source   json("data/cars.json")
  features Horsepower, Weight_in_lbs
  normalize standard
  missing  drop
  target   mpg = number(Miles_per_Gallon)
  split    train: 0.6, val: 0.2, test: 0.2
  seed     1
}

model m(cars.input) {
  h   = dense(8, activation: relu)
  out = dense(1)
}

task fit = regress(m.out, cars.mpg)

train {
  optimizer adam(lr: 0.01)
  epochs    4
  batch     32
}
`;

/** The coordinator's project: shipped into `source`, then deleted, so only Redis can give workers the data. */
async function jobs(experiment: string, seeds: number[]): Promise<TrialJob[]> {
  const project = mkdtempSync(join(scratch, "project-"));
  mkdirSync(join(project, "data"));
  copyFileSync(join(ROOT, "node_modules", "vega-datasets", "data", "cars.json"), join(project, "data", "cars.json"));
  writeFileSync(join(project, "cars.reg"), SPEC);
  const shipped = await shipSpecFiles(join(project, "cars.reg"), SPEC, source);
  rmSync(project, { recursive: true });
  return seeds.map((seed) => ({ id: `full@seed${seed}`, experiment, arm: "full", seed, backend: "wasm", spec: { fileName: shipped.fileName, text: SPEC }, files: shipped.files }));
}

/** Runs `trials` through the queue with a fresh coordinator, recording every result handed over. */
async function coordinate(trials: TrialJob[], signal?: AbortSignal, onOpen?: (engine: QueueEngine) => void): Promise<TrialResult[]> {
  const engine = await QueueEngine.open(parseRedisUrl(url), { blobs: source, maxFileBytes: 2 ** 20, pollMs: 100 });
  onOpen?.(engine);
  const recorded: TrialResult[] = [];
  try {
    await engine.run(trials, ({ result }) => void recorded.push(result), signal);
  } finally {
    await engine.close();
  }
  return recorded;
}

function worker(...args: string[]): WorkerProcess {
  const started = startWorker(url, scratch, "--concurrency", "1", "--lock-seconds", LOCK_SECONDS, ...args);
  workers.push(started);
  return started;
}

/**
 * What must agree between two runs of one trial: everything but wall-clock
 * times and the threads it trained with (a worker shares out the cores its
 * trials leave; the numbers are the same at any count).
 */
function outcome(result: TrialResult | undefined): unknown {
  return JSON.parse(JSON.stringify({ status: result?.status, metrics: result?.metrics, history: result?.history }), (key, value) =>
    key === "seconds" || key === "threads" ? undefined : value,
  );
}

beforeAll(async () => {
  redis = await startRedis("pw");
  url = redis.url;
  local = new Map();
  for (const job of await jobs("local", [0, 1])) local.set(job.seed, (await executeTrial(job, source, join(scratch, "local"))).result);
  expect([...local.values()].map((result) => result.status)).toEqual(["ok", "ok"]);
}, 120_000);

// A worker left running by a failed test would take the next test's trials.
afterEach(() => {
  for (const started of workers.splice(0)) started.kill();
});

afterAll(async () => {
  await redis?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

describe("trials on the queue", () => {
  it("are refused before any is queued when a data file is above the size limit, which the message names", async () => {
    const trials = await jobs("too-big", [0]);
    const engine = await QueueEngine.open(parseRedisUrl(url), { blobs: source, maxFileBytes: 2 ** 14, pollMs: 100 });
    try {
      await expect(engine.run(trials, () => {})).rejects.toThrow(
        /^the data file data\/cars\.json is \d+ KiB, above the queue's limit of 16 KiB per file: trials on a queue carry their data through Redis\. Raise the limit with --queue-max-file-mb, or run without --queue$/,
      );
    } finally {
      await engine.close();
    }
    const queue = new Queue(TRIAL_QUEUE, { connection: await connectRedis(parseRedisUrl(url), "test") });
    expect(await queue.getJobState("too-big/full@seed0")).toBe("unknown");
    await queue.close();
  });

  it("give the metrics and history the same trials give on this machine", async () => {
    const running = worker();
    await running.waitFor(/taking trials from redis:\/\/:\*\*\*@127\.0\.0\.1:\d+, 1 at a time/);
    let description = "";
    const recorded = await coordinate(await jobs("same", [0, 1]), undefined, (engine) => (description = engine.description));
    expect(description).toMatch(/^the queue at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+ \(1 worker connected\)$/);
    expect(recorded.map((result) => result.id).sort()).toEqual(["full@seed0", "full@seed1"]);
    for (const seed of [0, 1]) expect(outcome(recorded.find((result) => result.id === `full@seed${seed}`))).toEqual(outcome(local.get(seed)));
    expect(count(running.log(), "finished same/")).toBe(2);
    const redisKeys = await connectRedis(parseRedisUrl(url), "test");
    expect(await redisKeys.keys("reglang:blob*:same*")).toEqual([]);
    await redisKeys.quit();
    running.child.kill("SIGTERM");
    expect(await running.exited).toBe(130);
  }, 120_000);

  it("of an experiment whose folder keeps letters of any script run as any other", async () => {
    const running = worker();
    await running.waitFor(/taking trials from/);
    const recorded = await coordinate(await jobs("données-数字-20240305-070509", [0]));
    expect(outcome(recorded[0])).toEqual(outcome(local.get(0)));
    expect(count(running.log(), "finished données-数字-20240305-070509/full@seed0")).toBe(1);
  }, 120_000);

  it("go to another worker when theirs is killed mid-trial, and are counted once", async () => {
    const doomed = worker();
    const finishing = coordinate(await jobs("killed", [0, 1]));
    await doomed.waitFor(/took killed\/full@seed\d/);
    doomed.kill();
    const taken = doomed.log().match(/took killed\/(full@seed\d)/)![1]!;
    const survivor = worker();
    const recorded = await finishing;
    expect(recorded.map((result) => result.id).sort()).toEqual(["full@seed0", "full@seed1"]);
    expect(count(survivor.log(), `finished killed/${taken}: ok`)).toBe(1);
    for (const seed of [0, 1]) expect(outcome(recorded.find((result) => result.id === `full@seed${seed}`))).toEqual(outcome(local.get(seed)));
  }, 120_000);

  it("record a trial once when the run that lost it finishes after another worker's", async () => {
    const stalled = worker();
    const finishing = coordinate(await jobs("late", [0]));
    await stalled.waitFor(/took late\/full@seed0/);
    // Frozen, the worker renews no lock; its `regc run` goes on training.
    process.kill(stalled.child.pid!, "SIGSTOP");
    const other = worker();
    const recorded = await finishing;
    expect(recorded).toHaveLength(1);
    // The worker says so once Redis has taken the result, which the coordinator may see first.
    await other.waitFor(/finished late\/full@seed0: ok/);
    process.kill(stalled.child.pid!, "SIGCONT");
    // Depending on when it wakes, BullMQ stops its run, or the run ends and BullMQ refuses its result.
    await stalled.waitFor(/lost late\/full@seed0 to another worker|the result of late\/full@seed0 is not recorded: the queue no longer holds this worker's lock on the trial \(another worker took it over/);
    const queue = new Queue(TRIAL_QUEUE, { connection: await connectRedis(parseRedisUrl(url), "test") });
    expect(await queue.getJobState("late/full@seed0")).toBe("unknown");
    expect(await queue.getJobCounts("completed", "failed")).toEqual({ completed: 0, failed: 0 });
    await queue.close();
  }, 120_000);

  it("finished while no coordinator listened, are collected by the next one without running again", async () => {
    const trials = await jobs("restart", [0, 1]);
    const stopping = new AbortController();
    const first = coordinate(trials, stopping.signal);
    setTimeout(() => stopping.abort(), 500);
    expect(await first).toEqual([]);
    const running = worker();
    await running.waitFor(/finished restart\/full@seed0[\s\S]*finished restart\/full@seed1|finished restart\/full@seed1[\s\S]*finished restart\/full@seed0/);
    running.child.kill("SIGTERM");
    await running.exited;
    const recorded = await coordinate(trials);
    expect(recorded.map((result) => result.id).sort()).toEqual(["full@seed0", "full@seed1"]);
    expect(count(running.log(), "took restart/")).toBe(2);
    for (const seed of [0, 1]) expect(outcome(recorded.find((result) => result.id === `full@seed${seed}`))).toEqual(outcome(local.get(seed)));
  }, 120_000);
});
