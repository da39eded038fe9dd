import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRedis, type TestRedis } from "../support/redis-server.js";
import { count, startWorker, type WorkerProcess } from "../experiments/queue/support.js";
import { readJson, ROOT, startRegc } from "./support.js";

/** `regc ablate --queue` and `regc tune --queue`: the same trials on `regc worker`s through a real redis-server as on this machine's pool. */

const scratch = mkdtempSync(join(ROOT, ".scratch-ablate-queue-"));
let redis: TestRedis;
let worker: WorkerProcess;

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
  epochs    3
  batch     32
}

regularize m {
  l2(0.1) on *.kernel
  maxnorm(2) on h.kernel
}
`;

beforeAll(async () => {
  mkdirSync(join(scratch, "data"));
  copyFileSync(join(ROOT, "node_modules", "vega-datasets", "data", "cars.json"), join(scratch, "data", "cars.json"));
  writeFileSync(join(scratch, "cars.reg"), SPEC);
  redis = await startRedis("pw");
  worker = startWorker(redis.url, scratch, "--concurrency", "1");
  await worker.waitFor(/taking trials from /);
});

afterAll(async () => {
  worker?.kill();
  await redis?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

const ABLATION = ["ablate", "cars.reg", "--seeds", "1", "--arms", "l2", "--backend", "wasm", "--format", "json"];

interface Document {
  arms: { name: string; values: (number | null)[]; status: string }[];
}

/** Every trial's metrics and history (wall-clock times aside), by trial id. */
function trialOutputs(ablationFolder: string): Record<string, unknown> {
  const trials = join(ablationFolder, "trials");
  return Object.fromEntries(
    readdirSync(trials).map((id) => [
      id,
      JSON.parse(JSON.stringify({ metrics: readJson(join(trials, id, "metrics.json")), history: readJson(join(trials, id, "history.json")) }), (key, value) => (key === "seconds" ? undefined : value)),
    ]),
  );
}

function onlyFolder(parent: string): string {
  const [name, ...more] = readdirSync(parent);
  expect(more).toEqual([]);
  return join(parent, name!);
}

describe("regc ablate --queue", () => {
  it("gives every trial the metrics and history the local pool gives it", async () => {
    const onQueue = await startRegc([...ABLATION, "--queue", redis.url, "--out", "queued"], scratch);
    expect(onQueue.stderr).toMatch(/on the queue at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+ \(1 worker connected\)/);
    expect(onQueue.code, onQueue.stderr).toBe(0);
    const here = await startRegc([...ABLATION, "--workers", "1", "--out", "local"], scratch);
    expect(here.code, here.stderr).toBe(0);

    const queued = JSON.parse(onQueue.stdout) as Document;
    const local = JSON.parse(here.stdout) as Document;
    expect(queued.arms.map((arm) => arm.values)).toEqual(local.arms.map((arm) => arm.values));
    expect(queued.arms.flatMap((arm) => arm.values).every((value) => typeof value === "number")).toBe(true);
    const queuedTrials = trialOutputs(onlyFolder(join(scratch, "queued")));
    expect(Object.keys(queuedTrials).sort()).toEqual(["full@seed0", "without-l2@seed0"]);
    expect(queuedTrials).toEqual(trialOutputs(onlyFolder(join(scratch, "local"))));
    expect(count(worker.log(), "finished ")).toBe(2);
    // Complete, neither keeps its copy of the data files: no trial reads it again.
    for (const out of ["queued", "local"]) expect(existsSync(join(onlyFolder(join(scratch, out)), ".blobs")), out).toBe(false);
  }, 240_000);

  it("stopped with Ctrl-C and resumed, collects what workers finished meanwhile and runs nothing again", async () => {
    // Database 1: no worker of the other tests listens there.
    const url = `${redis.url}/1`;
    const stopped = await startRegc([...ABLATION, "--queue", url, "--out", "resumed"], scratch, (soFar, child) => {
      if (soFar.includes("trials to run on the queue") && !child.killed) child.kill("SIGINT");
    });
    expect(stopped.stderr).toContain("no worker connected yet");
    expect(stopped.code, stopped.stderr).toBe(130);
    const folder = onlyFolder(join(scratch, "resumed"));
    // Incomplete, it keeps its copy of the data files.
    expect(existsSync(join(folder, ".blobs"))).toBe(true);

    const meanwhile = startWorker(url, scratch, "--concurrency", "1");
    await meanwhile.waitFor(/(finished [^\n]*\n[\s\S]*){2}/, 120_000);
    meanwhile.child.kill("SIGTERM");
    expect(await meanwhile.exited).toBe(130);

    const resumed = await startRegc(["ablate", "--resume", folder, "--queue", url, "--format", "json"], scratch);
    expect(resumed.code, resumed.stderr).toBe(0);
    const document = JSON.parse(resumed.stdout) as Document;
    expect(document.arms.flatMap((arm) => arm.values).every((value) => typeof value === "number")).toBe(true);
    expect(Object.keys(trialOutputs(folder))).toHaveLength(2);
    expect(count(meanwhile.log(), "took ")).toBe(2);
    expect(existsSync(join(folder, ".blobs"))).toBe(false);
  }, 240_000);

  it.each([
    [["--queue", "http://127.0.0.1:6379"], /must start with redis:\/\/ or rediss:\/\//],
    [["--queue", "redis://127.0.0.1:1"], /cannot use the queue at redis:\/\/127\.0\.0\.1:1: nothing accepts connections/],
    [["--queue", "redis://:wrong@127.0.0.1:PORT"], /Redis refused the user name or password/],
    [["--queue", "redis://:pw@127.0.0.1:PORT", "--workers", "2"], /give one of them/],
    [["--queue-max-file-mb", "8"], /goes with --queue URL/],
  ])("says what is wrong with %j and exits 2", async (extra, message) => {
    const result = await startRegc([...ABLATION, "--out", "refused", ...extra.map((arg) => arg.replace("PORT", String(redis.port)))], scratch);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(result.code).toBe(2);
  });
});

describe("regc tune --queue", () => {
  it("gives every run the metrics the local pool gives it", async () => {
    const tuned = SPEC.replace("l2(0.1) on *.kernel", "l2(choice(0.1, 0.001)) on *.kernel").replace("  maxnorm(2) on h.kernel\n", "") + "\ntune {\n  trials    2\n  objective minimize val_rmse\n  method    grid\n}\n";
    writeFileSync(join(scratch, "tuned.reg"), tuned);
    const TUNING = ["tune", "tuned.reg", "--backend", "wasm", "--format", "json"];
    const onQueue = await startRegc([...TUNING, "--queue", redis.url, "--out", "tuned-queued"], scratch);
    expect(onQueue.code, onQueue.stderr).toBe(0);
    const here = await startRegc([...TUNING, "--workers", "1", "--out", "tuned-local"], scratch);
    expect(here.code, here.stderr).toBe(0);
    type Tuning = { runs: { id: string; status: string; metrics: Record<string, number> }[] };
    const queued = (JSON.parse(onQueue.stdout) as Tuning).runs;
    expect(queued.map((run) => run.status)).toEqual(["ok", "ok"]);
    expect(queued).toEqual((JSON.parse(here.stdout) as Tuning).runs);
    for (const out of ["tuned-queued", "tuned-local"]) expect(existsSync(join(onlyFolder(join(scratch, out)), ".blobs")), out).toBe(false);
  }, 240_000);
});
