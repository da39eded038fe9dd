import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startRedis, type TestRedis } from "../support/redis-server.js";
import { startWorker, type WorkerProcess } from "../experiments/queue/support.js";
import { ROOT, startRegc } from "./support.js";

/** Redis stopped under a running experiment: the coordinator says so within seconds, and a worker claims no trial it could not record. */

const scratch = mkdtempSync(join(ROOT, ".scratch-queue-lost-"));
const servers: TestRedis[] = [];
const workers: WorkerProcess[] = [];

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
  epochs    40
  batch     8
}

regularize m {
  l2(0.1) on *.kernel
}
`;

const TUNED = `${SPEC.replace("l2(0.1)", "l2(choice(0.1, 0.001))")}
tune {
  trials    2
  objective minimize val_rmse
  method    grid
}
`;

beforeAll(() => {
  mkdirSync(join(scratch, "data"));
  copyFileSync(join(ROOT, "node_modules", "vega-datasets", "data", "cars.json"), join(scratch, "data", "cars.json"));
  writeFileSync(join(scratch, "cars.reg"), SPEC);
  writeFileSync(join(scratch, "tuned.reg"), TUNED);
});

afterEach(async () => {
  for (const worker of workers.splice(0)) worker.kill();
  for (const server of servers.splice(0)) await server.stop();
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function redis(): Promise<TestRedis> {
  const server = await startRedis();
  servers.push(server);
  return server;
}

describe("a coordinator whose Redis stops", () => {
  it.each([
    ["ablate", ["ablate", "cars.reg", "--seeds", "1", "--backend", "wasm"]],
    ["tune", ["tune", "tuned.reg", "--backend", "wasm"]],
  ])("regc %s says so in one line within seconds and exits 2", async (command, args) => {
    const server = await redis();
    let stoppedAt = 0;
    const result = await startRegc([...args, "--queue", server.url, "--out", `lost-${command}`], scratch, (soFar) => {
      if (stoppedAt === 0 && soFar.includes(" on the queue at ")) {
        stoppedAt = Date.now();
        void server.stop();
      }
    });
    const seconds = (Date.now() - stoppedAt) / 1000;
    expect(result.code, result.stderr).toBe(2);
    const [started, ...after] = result.stderr.trimEnd().split("\n");
    // The folder as the command named it when it started.
    const folder = / → (.+)$/.exec(started!)![1];
    expect(after).toEqual([
      `regc: error: lost the connection to the queue at ${server.url}; finished trials are kept: continue with \`regc ${command} --resume ${folder} --queue ${server.url}\` once it answers again`,
    ]);
    expect(seconds).toBeLessThan(10);
  }, 120_000);
});

describe("a worker whose Redis stops", () => {
  it("does not say it finished a trial whose result it could not record", async () => {
    const server = await redis();
    const workerScratch = mkdtempSync(join(scratch, "worker-"));
    // It waits 30 s for Redis to come back, rather than about 80: long enough for its trial's run to end meanwhile on a busy machine.
    const worker = startWorker(server.url, workerScratch, "--concurrency", "1", "--reconnect-seconds", "30");
    workers.push(worker);
    await worker.waitFor(/taking trials from /);
    const coordinator = startRegc(["ablate", "cars.reg", "--seeds", "1", "--arms", "l2", "--backend", "wasm", "--queue", server.url, "--out", "lost-worker"], scratch);
    // Once the trial's run has started, it has its data and trains on without Redis.
    await until(() => readdirSync(workerScratch, { recursive: true }).some((path) => String(path).endsWith("runs")));
    await server.stop();
    const stopped = Date.now();
    await worker.waitFor(/ran \S+: ok; its result waits for the queue to answer again/);
    const trial = /ran (\S+): ok/.exec(worker.log())![1]!;
    expect(await worker.exited).toBe(2);
    // Its own 30 s (27.5 s of pauses), far from the default's 77.5 s of waiting.
    expect(Date.now() - stopped).toBeLessThan(60_000);
    expect(worker.log()).toContain(`the result of ${trial} (ok) could not be recorded: the queue did not take it before the worker stopped`);
    expect(worker.log()).not.toContain("finished ");
    expect((await coordinator).code).toBe(2);
  }, 120_000);
});

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("the condition did not hold within 60 s");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
